package dev.mi4j.core.model;

import dev.mi4j.core.image.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a generative model-inversion attack knows about faces in general: a generator G that maps a
 * latent code z to an image, and a discriminator's verdict on images, both differentiable. The
 * attack (GMI, Zhang et al., CVPR 2020) searches z, not pixels, so that every candidate is a face
 * the generator can draw. Implemented by {@link Gan}; attacks see only this view.
 *
 * <p>Both passes run in inference mode (batch norm on running statistics) and never modify the
 * networks. Arrays are of the generator's data type ({@link #dataType()}).
 */
public interface GenerativePrior {

    /** Width of the latent code z. */
    int latentDim();

    /** Shape of one generated image, [c, h, w]; pixels in [0, 1]. */
    ImageShape imageShape();

    /** Data type of the generator's parameters, latent codes and images. */
    org.nd4j.linalg.api.buffer.DataType dataType();

    /** G(z): [n, latentDim] to [n, c, h, w]. */
    INDArray generate(INDArray z);

    /** d cost / d image for the images G(z) of a batch, given those images. */
    @FunctionalInterface
    interface ImageEpsilon {
        /**
         * @param images G(z), [n, c, h, w] (read them; do not keep them after returning)
         * @return d cost / d images, [n, c, h, w]
         */
        INDArray of(INDArray images);
    }

    /**
     * d cost / d z through the generator: G(z) is computed, {@code epsilon} gives d cost / d G(z),
     * which is back-propagated to z. Returns [n, latentDim].
     */
    INDArray latentGradient(INDArray z, ImageEpsilon epsilon);

    /**
     * The discriminator's loss on each image as a generator would minimise it (GMI's prior term: how
     * unlike a real face the image looks to the discriminator), and its gradient.
     *
     * @param cost     [n] per image
     * @param gradient [n, c, h, w] d cost / d image, per image
     */
    record PriorLoss(double[] cost, INDArray gradient) {
    }

    /** The prior term and its image gradient for a batch of images [n, c, h, w]. */
    PriorLoss discriminatorLoss(INDArray images);

    /** One line for results: what the generator is and how it was trained. */
    String describe();
}
