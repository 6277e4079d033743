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
     * Penultimate-layer features (the input of the final classification layer), [n, d]. Used
     * by the evaluation model for feature distances and lineups.
     */
    INDArray features(INDArray images);
}
