package dev.mi4j.core.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inference-mode forward passes and input gradients of a network that ends in a softmax, seen
 * up to its logits. The objective is not the engine's business: {@link #inputGradient} asks the
 * caller for d cost / d logits once it has the logits, then back-propagates that epsilon to the
 * images. Images arrive as [n, c, h, w] c-order arrays of the network's data type.
 */
public interface GradientEngine {

    /** d cost / d logits for the given logits: the caller's objective, between the forward and backward passes. */
    @FunctionalInterface
    interface LogitEpsilon {
        /**
         * @param logits [n, k] logits of the batch (read them; the engine may reuse the array)
         * @return d cost / d logits, n * k values in row-major order
         */
        double[] of(INDArray logits);
    }

    /** [n, k] logits (pre-softmax activations), inference mode. */
    INDArray logits(INDArray images);

    /** [n, d] input of the layer that computes the logits (the penultimate features), a fresh array. */
    INDArray features(INDArray images);

    /**
     * d cost / d images, [n, c, h, w] or the same values in another shape of n * c * h * w
     * elements (the caller reshapes). The result may be the engine's work array, valid until its
     * next call: callers copy it before they let go of the engine.
     */
    INDArray inputGradient(INDArray images, LogitEpsilon epsilon);

    /**
     * As {@link #inputGradient(INDArray, LogitEpsilon)}; when the engine can write the gradient
     * straight into {@code out} (n * c * h * w elements of the network's data type, c order) it
     * does and returns {@code out} itself, saving the caller a copy. Otherwise (and by default) it
     * returns its own result, which the caller copies.
     */
    default INDArray inputGradient(INDArray images, LogitEpsilon epsilon, INDArray out) {
        return inputGradient(images, epsilon);
    }
}
