package dev.mi4j.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The white-box view: the classifier plus the gradient of an objective with respect to the
 * <em>input</em> image. Only input gradients are computed, never weight gradients: skipping them
 * is a large part of the attack's speed budget. The forward pass runs in inference mode (no
 * dropout noise) and the model is never modified.
 */
public interface DifferentiableClassifier extends Classifier {

    /**
     * Objective value, probabilities and input gradient for each image against its own target label.
     *
     * @param images  [n, c, h, w], pixels in [0, 1]
     * @param targets n target labels, one per image
     * @param objective what is minimised
     */
    InputGradient inputGradient(INDArray images, int[] targets, Objective objective);

    /**
     * As {@link #inputGradient(INDArray, int[], Objective)}, but the gradient may be written into
     * the caller's {@code gradientOut} ([n, c, h, w], any floating-point type), which is then the
     * returned gradient: a loop that calls this every step reuses one buffer instead of
     * allocating one per call. The default copies the result of the three-argument method into
     * it; when that gradient does not have gradientOut's shape it is returned unchanged (callers
     * check the shape and report the model's error).
     */
    default InputGradient inputGradient(INDArray images, int[] targets, Objective objective, INDArray gradientOut) {
        InputGradient g = inputGradient(images, targets, objective);
        if (gradientOut == null || g == null || g.gradient() == null
                || !java.util.Arrays.equals(g.gradient().shape(), gradientOut.shape())) {
            return g;
        }
        return g.withGradient(gradientOut.assign(g.gradient()));
    }

    /**
     * Penultimate-layer features (the input of the final classification layer), [n, d]. Used
     * by the evaluation model for feature distances and lineups.
     */
    INDArray features(INDArray images);
}
