package dev.mi4j.attacks;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The outcome of an inversion for one target label.
 *
 * @param label          the target label
 * @param image          [c, h, w] the iterate with the lowest cost (never one with a NaN or infinite value)
 * @param bestCost       its cost c(x) = objective + aux term
 * @param bestPLabel     the model's probability of the label for that iterate
 * @param bestIteration  i of that iterate (0 = the start image)
 * @param iterations     gradient steps taken
 * @param queries        images of this target sent to the model (start image included)
 * @param stopReason     why the target stopped
 * @param costTrajectory c(x_0) .. c(x_iterations) when recorded, else null (a diverged last step records NaN)
 * @param snapshots      [c, h, w] iterates x_0, x_k, x_2k, ... when recorded, else empty
 */
public record Reconstruction(int label, INDArray image, double bestCost, double bestPLabel,
                             int bestIteration, int iterations, long queries, StopReason stopReason,
                             double[] costTrajectory, List<INDArray> snapshots) {

    public Reconstruction {
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }
}
