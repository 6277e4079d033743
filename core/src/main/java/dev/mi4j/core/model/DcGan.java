package dev.mi4j.core.model;

import dev.mi4j.core.image.ImageShape;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DCGAN-style generator and discriminator of mi4j's GMI prior, shaped after the GMI code
 * (AI-secure/GMI-Attack): a generator z -> dense -> batch norm -> ReLU -> reshape to [8w, 4, 4],
 * then one stride-2 transposed convolution per doubling of the size (batch norm, ReLU), channels
 * halving 8w, 4w, 2w, w, the last one to the image channels with a sigmoid; a discriminator of
 * stride-2 convolutions with LeakyReLU(0.2), channels w, 2w, 4w, 8w, then one sigmoid unit (the
 * probability that the image is real). Kernels are 4x4 ({@link #KERNEL}; GMI's are 5x5).
 *
 * <p>Differences from GMI, and why: GMI's critic uses instance norm and a WGAN-GP loss; DL4J has no
 * instance norm and cannot differentiate a gradient (no gradient penalty), so this discriminator
 * has no normalisation and is trained with the non-saturating GAN loss. The width {@code w}
 * (GMI: 64, for 64x64 RGB on CelebA) is a parameter, because that width takes hours per epoch on
 * a small CPU (see {@code GanConfig}). The generator's weights start from N(0, 0.02) as in DCGAN,
 * the discriminator's from He's initialisation (see {@link #discriminator}).
 *
 * <p>Workspaces and caches are off: the trainer runs the generator's backward pass from an
 * external epsilon, which DL4J supports without workspaces only.
 */
public final class DcGan {

    /** Side of the generator's first feature map. */
    public static final int BASE = 4;
    /**
     * Kernel of every (transposed) convolution: 4, DCGAN's (GMI uses 5). With stride 2, DL4J's
     * "same" padding of a 5x5 kernel is asymmetric and each output pixel of a transposed
     * convolution gets an uneven number of contributions: the first GAN trained here (k5, 10
     * epochs) drew faces covered in horizontal stripes and checkerboard; k4 pads 1 on every side
     * and overlaps evenly.
     */
    public static final int KERNEL = 4;

    private DcGan() {
    }

    /**
     * Number of stride-2 stages for a square image of side {@code size}: size = 4 * 2^stages.
     *
     * @throws IllegalArgumentException unless the image is square with a power-of-two side of at least 16
     */
    public static int stages(ImageShape shape) {
        int h = shape.height();
        if (h != shape.width() || h < 16 || Integer.bitCount(h) != 1) {
            throw new IllegalArgumentException("imageShape: the DCGAN needs square images with a power-of-two side >= 16"
                    + " (e.g. 32x32, 64x64), got " + shape);
        }
        return Integer.numberOfTrailingZeros(h / BASE);
    }

    /** Channels of the generator's first feature map: width * 2^(stages - 1). */
    public static int topChannels(ImageShape shape, int width) {
        return width << (stages(shape) - 1);
    }

    /** The generator: [n, latentDim] to [n, c, h, w] in [0, 1]. */
    public static MultiLayerNetwork generator(ImageShape shape, int latentDim, int width, long seed, Adam updater,
                                              DataType dataType) {
        check(latentDim, width);
        int stages = stages(shape);
        int top = topChannels(shape, width);
        NeuralNetConfiguration.ListBuilder b = base(seed, updater, dataType).list()
                .layer(new DenseLayer.Builder().nIn(latentDim).nOut((long) top * BASE * BASE).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .inputPreProcessor(3, new FeedForwardToCnnPreProcessor(BASE, BASE, top));
        int channels = top;
        for (int s = 0; s < stages - 1; s++) {
            channels /= 2;
            b.layer(new Deconvolution2D.Builder().kernelSize(KERNEL, KERNEL).stride(2, 2).nOut(channels).hasBias(false)
                            .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                    .layer(new BatchNormalization.Builder().activation(Activation.IDENTITY).build())
                    .layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        }
        b.layer(new Deconvolution2D.Builder().kernelSize(KERNEL, KERNEL).stride(2, 2).nOut(shape.channels())
                .convolutionMode(ConvolutionMode.Same).activation(Activation.SIGMOID).build());
        MultiLayerConfiguration conf = b.setInputType(InputType.feedForward(latentDim)).build();
        noWorkspaces(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The discriminator: [n, c, h, w] to [n, 1], the probability that each image is real. */
    public static MultiLayerNetwork discriminator(ImageShape shape, int width, long seed, Adam updater, DataType dataType) {
        check(1, width);
        int stages = stages(shape);
        // He initialisation, not DCGAN's N(0, 0.02): without batch norm, 0.02 shrinks the signal by
        // ~0.4 per layer and the discriminator took ~30 Adam steps to separate even noise from a
        // constant image (measured), while the batch-normalised generator learnt at full speed.
        NeuralNetConfiguration.ListBuilder b = base(seed, updater, dataType).weightInit(WeightInit.RELU).list();
        int channels = width;
        for (int s = 0; s < stages; s++) {
            b.layer(new ConvolutionLayer.Builder().kernelSize(KERNEL, KERNEL).stride(2, 2).nOut(channels)
                    .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build());
            channels *= 2;
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(1).activation(Activation.SIGMOID).build());
        MultiLayerConfiguration conf = b.setInputType(InputType.convolutional(shape.height(), shape.width(),
                shape.channels())).build();
        noWorkspaces(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** One line for provenance. */
    public static String describe(ImageShape shape, int latentDim, int width) {
        int stages = stages(shape);
        StringBuilder g = new StringBuilder("DCGAN generator z" + latentDim + " -> dense " + topChannels(shape, width) + "x4x4"
                + " + BN + ReLU");
        int c = topChannels(shape, width);
        int side = BASE;
        for (int s = 0; s < stages - 1; s++) {
            c /= 2;
            side *= 2;
            g.append(" -> deconv" + KERNEL + "x" + KERNEL + "/2 ").append(c).append('x').append(side).append('x').append(side).append(" + BN + ReLU");
        }
        g.append(" -> deconv" + KERNEL + "x" + KERNEL + "/2 ").append(shape.channels()).append('x').append(shape.height()).append('x')
                .append(shape.width()).append(" sigmoid, N(0, 0.02) init; discriminator (He init)");
        c = width;
        for (int s = 0; s < stages; s++) {
            g.append(s == 0 ? " " : " -> ").append("conv" + KERNEL + "x" + KERNEL + "/2 ").append(c).append(" LReLU0.2");
            c *= 2;
        }
        return g.append(" -> dense 1 sigmoid").toString();
    }

    private static void check(int latentDim, int width) {
        if (latentDim < 1) {
            throw new IllegalArgumentException("latentDim: must be >= 1, got " + latentDim);
        }
        if (width < 1) {
            throw new IllegalArgumentException("width: must be >= 1, got " + width);
        }
    }

    private static NeuralNetConfiguration.Builder base(long seed, Adam updater, DataType dataType) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .weightInit(new WeightInitDistribution(new NormalDistribution(0, 0.02)))
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .cacheMode(CacheMode.NONE);
    }

    private static void noWorkspaces(MultiLayerConfiguration conf) {
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        conf.setCacheMode(CacheMode.NONE);
    }
}
