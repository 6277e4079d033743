package dev.mi4j.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link GradientHook} hands back for one step, in Deeplearning4j's own convention so
 * that the network's updater applies it exactly as {@code net.fit} would: the gradient of the
 * minibatch loss <em>summed</em> over its examples, flattened in the layout of {@code net.params()};
 * the updater divides it by {@code divisor}, adds the configured L2 penalty's gradient and takes the
 * optimizer's step (Adam, Nesterov momentum).
 *
 * @param gradient summed gradient, one value per parameter (the network's flattened gradient view
 *                 itself, as {@link MinibatchStep#batchGradient()} returns it, or any array of the
 *                 same length)
 * @param divisor  what the sum is divided by: the minibatch size for plain training; DP-SGD with
 *                 Poisson sampling divides by the expected batch size instead (>= 1)
 * @param score    the minibatch's mean loss, for progress display only (NaN when not computed)
 */
public record StepGradient(INDArray gradient, int divisor, double score) {

    public StepGradient {
        if (gradient == null) {
            throw new IllegalArgumentException("gradient: must not be null");
        }
        if (divisor < 1) {
            throw new IllegalArgumentException("divisor: must be >= 1, got " + divisor);
        }
    }
}
