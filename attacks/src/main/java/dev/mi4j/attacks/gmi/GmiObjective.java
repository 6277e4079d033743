package dev.mi4j.attacks.gmi;

import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.GenerativePrior;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import dev.mi4j.core.model.Objectives;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * GMI's loss of each latent code z for its target label t, and its gradient with respect to z:
 * <pre>
 *   L(z) = priorWeight * prior(G(z)) + lambda * identity(G(z), t)
 *   prior    = the discriminator's loss on G(z) as the generator minimises it (-log D(G(z)) for mi4j's
 *              non-saturating GAN; -D(G(z)) for GMI's WGAN critic)
 *   identity = -log p_t(G(z)), the target's cross-entropy
 * </pre>
 * One pass: G(z) forward; the target's input gradient of -log p_t ({@link
 * DifferentiableClassifier#inputGradient}, exact for a white-box attacker, estimated from
 * confidence queries for a black-box one) and the discriminator's ({@link
 * GenerativePrior#discriminatorLoss}) on those images; their weighted sum back-propagated
 * through G to z ({@link GenerativePrior#latentGradient}). Per row, not averaged: the caller
 * scales (GMI's batch mean).
 */
public final class GmiObjective {

    private final DifferentiableClassifier model;
    private final GenerativePrior generator;
    private final double lambda;
    private final double priorWeight;

    /**
     * @param model       the attacker's view of the target
     * @param generator   the GAN prior; it must draw images of the shape the model takes
     * @param lambda      weight of the identity term
     * @param priorWeight weight of the prior term (0: the discriminator is not run)
     */
    public GmiObjective(DifferentiableClassifier model, GenerativePrior generator, double lambda, double priorWeight) {
        this.model = Objects.requireNonNull(model, "model");
        this.generator = Objects.requireNonNull(generator, "generator");
        if (!generator.imageShape().equals(model.inputShape())) {
            throw new IllegalArgumentException("generator: draws images of shape " + generator.imageShape()
                    + " but the model takes " + model.inputShape());
        }
        this.lambda = lambda;
        this.priorWeight = priorWeight;
    }

    /**
     * The loss of each row and its latent gradient.
     *
     * @param cost     [m] L per row
     * @param identity [m] -log p_t per row (as the attacker's view computes it)
     * @param prior    [m] the prior term per row (0 when its weight is 0)
     * @param pLabel   [m] p_t per row, as the attacker saw it
     * @param gradient [m, latentDim] dL/dz per row
     */
    public record Evaluation(double[] cost, double[] identity, double[] prior, double[] pLabel, INDArray gradient) {
    }

    public GenerativePrior generator() {
        return generator;
    }

    /** L and dL/dz for codes z [m, latentDim] with one target label per row. */
    public Evaluation evaluate(INDArray z, int[] labels) {
        int m = (int) z.size(0);
        if (labels.length != m) {
            throw new IllegalArgumentException("labels: expected " + m + ", got " + labels.length);
        }
        double[] identity = new double[m];
        double[] prior = new double[m];
        double[] pLabel = new double[m];
        INDArray dz = generator.latentGradient(z, images -> {
            InputGradient g = model.inputGradient(images, labels, Objective.NEG_LOG_P);
            System.arraycopy(g.costValues(), 0, identity, 0, m);
            System.arraycopy(g.labelProbabilities(labels), 0, pLabel, 0, m);
            INDArray eps = g.gradient().castTo(images.dataType()).reshape(images.shape()).mul(lambda);
            if (priorWeight > 0) {
                GenerativePrior.PriorLoss p = generator.discriminatorLoss(images);
                System.arraycopy(p.cost(), 0, prior, 0, m);
                eps.addi(p.gradient().castTo(images.dataType()).muli(priorWeight));
            }
            return eps;
        });
        double[] cost = new double[m];
        for (int k = 0; k < m; k++) {
            cost[k] = priorWeight * prior[k] + lambda * identity[k];
        }
        return new Evaluation(cost, identity, prior, pLabel, dz);
    }

    /** L of each row from probabilities the model returned for G(z) (no gradient): for the final choice among restarts. */
    public double[] costFromProbabilities(INDArray images, INDArray probabilities, int[] labels) {
        int m = labels.length;
        double[] prior = priorWeight > 0 ? generator.discriminatorLoss(images).cost() : new double[m];
        double[] cost = new double[m];
        for (int k = 0; k < m; k++) {
            double p = probabilities.getDouble(k, labels[k]);
            cost[k] = priorWeight * prior[k] - lambda * Objectives.flooredLog(p);
        }
        return cost;
    }

    @Override
    public String toString() {
        return "GmiObjective[lambda=" + lambda + ", priorWeight=" + priorWeight + ", " + generator.describe() + "]";
    }
}
