package dev.mi4j.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Result of one forward/backward pass for a batch of images and target labels.
 *
 * @param cost          [n] objective value per image
 * @param probabilities [n, classes] softmax output per image (p_label is read from here)
 * @param gradient      [n, c, h, w] d cost / d image, per image (not averaged over the batch)
 */
public record InputGradient(INDArray cost, INDArray probabilities, INDArray gradient) {
}
