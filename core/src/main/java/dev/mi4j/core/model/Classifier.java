package dev.mi4j.core.model;

import dev.mi4j.core.image.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The black-box view of a face classifier, as a prediction API gives it: the attacker sends a
 * batch of images and receives one probability vector per image.
 *
 * <p>Every image sent is one query; implementations count them because query cost is what the
 * black-box literature reports.
 */
public interface Classifier {

    /** Number of identities (output classes). */
    int numClasses();

    /** Shape of one input image, [channels, height, width]; pixels are in [0, 1]. */
    ImageShape inputShape();

    /**
     * Class probabilities for a batch.
     *
     * @param images [n, c, h, w] tensor, pixels in [0, 1]
     * @return [n, numClasses] tensor of probabilities; rows sum to 1 unless an output policy says otherwise
     */
    INDArray predict(INDArray images);

    /** Images sent through {@link #predict} (and gradient calls) since creation or the last reset. */
    long queryCount();

    void resetQueryCount();
}
