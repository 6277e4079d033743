package dev.mi4j.defenses.output;

import dev.mi4j.core.model.Objective;
import dev.mi4j.core.model.Objectives;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An {@link Objective} evaluated from released probabilities only, as an attacker who sees
 * scores but no logits must do: {@link Objectives#observedCost} on each row (see there for what
 * each objective means from scores alone, and for the floor under the logarithm).
 */
public final class ObservedObjective {

    /** Smallest probability fed to log: -log(1e-30) is about 69 ({@link Objectives#PROBABILITY_FLOOR}). */
    public static final double PROBABILITY_FLOOR = Objectives.PROBABILITY_FLOOR;

    private ObservedObjective() {
    }

    /** Cost of one probability row against target t. */
    public static double cost(double[] p, int t, Objective objective) {
        return Objectives.observedCost(objective, p, t);
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
}
