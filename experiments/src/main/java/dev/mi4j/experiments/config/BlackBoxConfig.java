package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.attacks.blackbox.EstimatedGradientClassifier;
import dev.mi4j.attacks.blackbox.FiniteDifferences;
import dev.mi4j.attacks.blackbox.GradientEstimator;
import dev.mi4j.attacks.blackbox.NesEstimator;
import dev.mi4j.attacks.blackbox.QueryBudget;
import dev.mi4j.defenses.output.OutputPolicy;
import dev.mi4j.defenses.output.PolicyClassifier;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.model.Classifier;

/**
 * Black-box MI-Face: the same algorithm with the gradient estimated from confidence queries
 * only. Its own step size and iteration count (an estimated gradient is noisy and each step
 * costs 2 x samples + 1 queries per target), and the identities it attacks.
 */
public record BlackBoxConfig(
        @JsonProperty("estimator") String estimator,
        @JsonProperty("samples") Integer samples,
        @JsonProperty("sigma") Double sigma,
        @JsonProperty("h") Double h,
        @JsonProperty("subspace") Integer subspace,
        @JsonProperty("maxBatch") Integer maxBatch,
        @JsonProperty("queryBudget") Long queryBudget,
        @JsonProperty("alpha") Integer alpha,
        @JsonProperty("lambda") Double lambda,
        @JsonProperty("seed") Long seed,
        @JsonProperty("targets") String targets) {

    public BlackBoxConfig {
        estimator = estimator == null ? "nes" : estimator;
        if (!estimator.equals("nes") && !estimator.equals("fd")) {
            throw new Mi4jException("blackbox.estimator must be nes or fd, got '" + estimator + "'");
        }
        samples = samples == null ? 25 : samples;
        sigma = sigma == null ? 0.01 : sigma;
        h = h == null ? 0.01 : h;
        subspace = subspace == null ? 0 : subspace;
        maxBatch = maxBatch == null ? 512 : maxBatch;
        queryBudget = queryBudget == null ? 0L : queryBudget;
        seed = seed == null ? 1L : seed;
        targets = targets == null ? "all" : targets;
        if (queryBudget < 0) {
            throw new Mi4jException("blackbox.queryBudget must be >= 0 (0 = unlimited), got " + queryBudget);
        }
    }

    /** Iterations of a --quick run. */
    static final int QUICK_ALPHA = 60;

    /** The --quick form: a handful of iterations, for smoke runs. */
    public BlackBoxConfig quick() {
        return new BlackBoxConfig(estimator, samples, sigma, h, subspace, maxBatch, queryBudget,
                alpha == null ? QUICK_ALPHA : Math.min(alpha, QUICK_ALPHA), lambda, seed, targets);
    }

    public GradientEstimator gradientEstimator() {
        return estimator.equals("nes") ? new NesEstimator(samples, sigma, seed) : new FiniteDifferences(h, subspace, seed);
    }

    /** The attacker's view: the target behind an output policy, queried only through predict(). */
    public EstimatedGradientClassifier attackerView(Classifier target, OutputPolicy policy) {
        return new EstimatedGradientClassifier(new PolicyClassifier(target, policy), gradientEstimator(), maxBatch,
                queryBudget == 0 ? QueryBudget.unlimited() : new QueryBudget(queryBudget));
    }

    /**
     * The black-box attacker's parameters: the white-box ones with this section's iteration cap
     * ({@code alpha}: at most, never more than white-box) and step size ({@code lambda}), through
     * the attack's own iteration and step-size keys.
     */
    public dev.mi4j.attacks.AttackParams apply(dev.mi4j.attacks.AttackParams whiteBox) {
        dev.mi4j.attacks.AttackParams p = alpha == null ? whiteBox : whiteBox.withIterationsAtMost(alpha);
        return lambda == null ? p : p.withStepSize(lambda);
    }

    /** One-line description for tables and logs. */
    public String describe() {
        return estimator.equals("nes") ? "NES " + samples + " antithetic pairs, sigma " + sigma
                : "central differences h " + h + (subspace > 0 ? ", subspace " + subspace : "");
    }
}
