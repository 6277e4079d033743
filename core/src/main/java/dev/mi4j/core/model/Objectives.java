package dev.mi4j.core.model;

import java.util.Arrays;

/**
 * The math of every {@link Objective}, in one place: softmax, logsumexp, the cost of a row of
 * logits and its derivative d cost / d logits, and the cost of a row of <em>observed</em>
 * probabilities (what a black-box attacker, who sees scores but no logits, can compute).
 *
 * <p>Everything is in double precision on Java arrays: a row is a handful of classes, and the
 * same doubles come out whatever engine produced the logits (the fast engine, DL4J's own
 * backprop, a test fake), so their costs and probabilities can be compared bit for bit.
 *
 * <p>From logits z, p = softmax(z), target t:
 * <ul>
 *   <li>ONE_MINUS_P: c = 1 - p_t, dc/dz_j = -p_t (1[j = t] - p_j)</li>
 *   <li>NEG_LOG_P: c = logsumexp(z) - z_t, dc/dz_j = p_j - 1[j = t]</li>
 *   <li>NEG_LOGIT: c = -z_t, dc/dz = -e_t</li>
 *   <li>MARGIN: c = z_r - z_t with r the highest-scoring other class (the first on ties),
 *       dc/dz = e_r - e_t</li>
 * </ul>
 *
 * <p>From observed probabilities p (see {@link #observedCost}): ONE_MINUS_P is 1 - p_t;
 * NEG_LOG_P is -log p_t; MARGIN is max_{j != t} log p_j - log p_t, which equals the logit margin
 * exactly for unaltered softmax scores (log p = z - logsumexp(z) shifts a row by one constant);
 * NEG_LOGIT is -log p_t, log p standing in for the logit: the per-row constant logsumexp(z)
 * cannot be observed, so from scores alone NEG_LOGIT is the same function as NEG_LOG_P.
 * Probabilities are floored at {@link #PROBABILITY_FLOOR} before the logarithm, so that zeros
 * released by rounding, top-k or label-only give a large finite cost instead of infinity.
 */
public final class Objectives {

    /** Smallest probability fed to log in {@link #observedCost}: -log(1e-30) is about 69. */
    public static final double PROBABILITY_FLOOR = 1e-30;

    private Objectives() {
    }

    /**
     * Costs, probabilities and d cost / d logits of a batch.
     *
     * @param cost          [n] cost per row
     * @param probabilities [n][k] softmax of each row of logits
     * @param dLogits       [n][k] d cost / d logits per row
     */
    public record Evaluation(double[] cost, double[][] probabilities, double[][] dLogits) {

        /** d cost / d logits as one row-major array of n * k values. */
        public double[] dLogitsFlat() {
            int n = dLogits.length;
            int k = n == 0 ? 0 : dLogits[0].length;
            double[] flat = new double[n * k];
            for (int i = 0; i < n; i++) {
                System.arraycopy(dLogits[i], 0, flat, i * k, k);
            }
            return flat;
        }
    }

    /** The objective of each row of logits z against its own target. */
    public static Evaluation evaluate(Objective objective, double[][] z, int[] targets) {
        if (targets.length != z.length) {
            throw new IllegalArgumentException("targets: " + targets.length + " labels for " + z.length + " rows of logits");
        }
        int n = z.length;
        double[] cost = new double[n];
        double[][] p = new double[n][];
        double[][] dz = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = softmax(z[i]);
            dz[i] = new double[z[i].length];
            cost[i] = cost(objective, z[i], p[i], targets[i], dz[i]);
        }
        return new Evaluation(cost, p, dz);
    }

    /**
     * The cost of one row of logits z (with p = {@link #softmax}(z)) against target t; fills
     * d cost / d z into {@code dz} (length k) when it is not null.
     */
    public static double cost(Objective objective, double[] z, double[] p, int t, double[] dz) {
        int k = z.length;
        if (t < 0 || t >= k) {
            throw new IllegalArgumentException("target " + t + " is outside 0.." + (k - 1));
        }
        double[] g = dz != null ? dz : new double[k];
        Arrays.fill(g, 0.0);
        switch (objective) {
            case ONE_MINUS_P -> {
                // d(1 - p_t)/dz_j = -p_t (1[j = t] - p_j)
                for (int j = 0; j < k; j++) {
                    g[j] = -p[t] * ((j == t ? 1 : 0) - p[j]);
                }
                return 1 - p[t];
            }
            case NEG_LOG_P -> {
                for (int j = 0; j < k; j++) {
                    g[j] = p[j] - (j == t ? 1 : 0);
                }
                return logSumExp(z) - z[t];
            }
            case NEG_LOGIT -> {
                g[t] = -1;
                return -z[t];
            }
            case MARGIN -> {
                if (k < 2) {
                    throw new IllegalArgumentException("objective: MARGIN needs at least 2 classes, got " + k);
                }
                int best = rival(z, t);
                g[best] = 1;
                g[t] = -1;
                return z[best] - z[t];
            }
            default -> throw new IllegalArgumentException("objective: unsupported " + objective);
        }
    }

    /** The cost of one row of logits against target t (probabilities computed here, no derivative). */
    public static double cost(Objective objective, double[] z, int t) {
        return cost(objective, z, softmax(z), t, null);
    }

    /** The highest-scoring class other than t (the first one on ties). */
    public static int rival(double[] z, int t) {
        int best = -1;
        for (int j = 0; j < z.length; j++) {
            if (j != t && (best < 0 || z[j] > z[best])) {
                best = j;
            }
        }
        return best;
    }

    /**
     * The cost of one row of <em>observed</em> probabilities against target t, as an attacker
     * who sees scores but no logits computes it (see the class comment; probabilities are
     * floored at {@link #PROBABILITY_FLOOR} before the logarithm).
     */
    public static double observedCost(Objective objective, double[] p, int t) {
        if (t < 0 || t >= p.length) {
            throw new IllegalArgumentException("target " + t + " is outside 0.." + (p.length - 1));
        }
        return switch (objective) {
            case ONE_MINUS_P -> 1 - p[t];
            case NEG_LOG_P, NEG_LOGIT -> -flooredLog(p[t]);
            case MARGIN -> {
                double best = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < p.length; j++) {
                    if (j != t) {
                        best = Math.max(best, flooredLog(p[j]));
                    }
                }
                // A single-class model has no competitor: margin against nothing is -log p_t.
                yield (p.length == 1 ? 0 : best) - flooredLog(p[t]);
            }
        };
    }

    /** log(max(p, PROBABILITY_FLOOR)). */
    public static double flooredLog(double p) {
        return Math.log(Math.max(p, PROBABILITY_FLOOR));
    }

    /** log(sum_j exp(z_j)), computed as m + log(sum_j exp(z_j - m)) with m = max z (no overflow). */
    public static double logSumExp(double[] z) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - m);
        }
        return m + Math.log(s);
    }

    /** softmax(z)_j = exp(z_j - logsumexp(z)). */
    public static double[] softmax(double[] z) {
        double lse = logSumExp(z);
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(z[j] - lse);
        }
        return p;
    }
}
