package dev.mi4j.defenses.output;

import dev.mi4j.core.model.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An {@link Objective} evaluated from released probabilities only, as an attacker who sees
 * scores but no logits must do.
 *
 * <ul>
 *   <li>ONE_MINUS_P: 1 - p_t.</li>
 *   <li>NEG_LOG_P: -log p_t.</li>
 *   <li>MARGIN: max_{j != t} log p_j - log p_t. With unaltered softmax scores this equals the
 *       logit margin exactly, because log p = z - logsumexp(z) shifts every logit of a row by the
 *       same constant.</li>
 *   <li>NEG_LOGIT: -log p_t, log p standing in for the logit. The per-row constant logsumexp(z)
 *       cannot be observed from probabilities, so from scores alone this objective is the same
 *       function as NEG_LOG_P; results recorded under NEG_LOGIT in black-box mode are NEG_LOG_P
 *       results.</li>
 * </ul>
 *
 * Probabilities are floored at {@link #PROBABILITY_FLOOR} before the logarithm so that zeros
 * released by rounding, top-k or label-only give a large finite cost instead of infinity.
 */
public final class ObservedObjective {

    /** Smallest probability fed to log: -log(1e-30) is about 69. */
    public static final double PROBABILITY_FLOOR = 1e-30;

    private ObservedObjective() {
    }

    /** Cost of one probability row against target t. */
    public static double cost(double[] p, int t, Objective objective) {
        if (t < 0 || t >= p.length) {
            throw new IllegalArgumentException("target " + t + " is outside 0.." + (p.length - 1));
        }
        return switch (objective) {
            case ONE_MINUS_P -> 1 - p[t];
            case NEG_LOG_P, NEG_LOGIT -> -log(p[t]);
            case MARGIN -> {
                double best = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < p.length; j++) {
                    if (j != t) {
                        best = Math.max(best, log(p[j]));
                    }
                }
                // A single-class model has no competitor: margin against nothing is -log p_t.
                yield (p.length == 1 ? 0 : best) - log(p[t]);
            }
        };
    }

    /** Costs of a batch: [n, k] probabilities and n targets -> [n], in the probabilities' data type. */
    public static INDArray costs(INDArray probabilities, int[] targets, Objective objective) {
        double[][] rows = Rows.of(probabilities);
        if (targets.length != rows.length) {
            throw new IllegalArgumentException("targets: " + targets.length + " labels for "
                    + rows.length + " probability rows");
        }
        double[] c = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            c[i] = cost(rows[i], targets[i], objective);
        }
        return Nd4j.createFromArray(c).castTo(probabilities.dataType());
    }

    private static double log(double p) {
        return Math.log(Math.max(p, PROBABILITY_FLOOR));
    }
}
