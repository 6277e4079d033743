package dev.mi4j.defenses.output;

import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The white-box attacker facing a deployment with an output countermeasure.
 *
 * <p><b>What "white-box under a policy" means in mi4j.</b> A policy such as rounding is
 * piecewise constant in the input: its derivative is zero almost everywhere and undefined on
 * the rounding boundaries, so there is no gradient <em>through</em> it, and a gradient of the
 * rounded cost would stall every attack at its first step. mi4j therefore models an attacker
 * who holds the weights (and so differentiates the <em>unaltered</em> model) but whose
 * observations of progress come from the released output only:
 * <ul>
 *   <li>{@link InputGradient#gradient()} is the wrapped model's gradient of the objective, as
 *       if no policy existed;</li>
 *   <li>{@link InputGradient#probabilities()} is the policy's output for the current images,
 *       and {@link InputGradient#cost()} is the objective evaluated on that output by
 *       {@link ObservedObjective} (log-probabilities stand in for logits for NEG_LOGIT and
 *       MARGIN). An attack's stopping rules, best-image tracking and reported best cost /
 *       p_label therefore use only what the API releases.</li>
 * </ul>
 * With the identity policy the wrapped model's result is returned unchanged (including the
 * true logit-based costs). This is a deliberately weak countermeasure model: the policy only
 * blinds the attacker's bookkeeping, not its descent direction. The black-box attacker
 * (EstimatedGradientClassifier over a PolicyClassifier) is where a policy removes the
 * gradient itself.
 *
 * <p>{@link #features} delegates: the white-box attacker has the weights anyway. Queries are
 * counted by the wrapped model.
 */
public final class PolicyDifferentiableClassifier extends PolicyClassifier implements DifferentiableClassifier {

    // The same model as the superclass holds, typed for gradients; predict, counting and the
    // policy itself are the superclass's.
    private final DifferentiableClassifier model;

    public PolicyDifferentiableClassifier(DifferentiableClassifier model, OutputPolicy policy) {
        super(model, policy);
        this.model = model;
    }

    @Override
    public DifferentiableClassifier model() {
        return model;
    }

    @Override
    public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
        InputGradient exact = model.inputGradient(images, targets, objective);
        if (policy() instanceof IdentityPolicy) {
            return exact;
        }
        INDArray seen = policy().apply(exact.probabilities());
        INDArray cost = ObservedObjective.costs(seen, targets, objective);
        return new InputGradient(cost, seen, exact.gradient());
    }

    @Override
    public INDArray features(INDArray images) {
        return model.features(images);
    }

    @Override
    public String toString() {
        return "PolicyDifferentiableClassifier[" + policy().spec() + "]";
    }
}
