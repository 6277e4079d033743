package dev.mi4j.core.model;

import dev.mi4j.core.image.ImageShape;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The autoencoder behind {@link Architecture#DAE}: encoder pixels -> {@value #HIDDEN} sigmoid ->
 * {@value #CODE} sigmoid, mirrored decoder {@value #CODE} -> {@value #HIDDEN} sigmoid -> pixels
 * sigmoid, as one DL4J network of four layers (trained end to end on corrupted inputs with a
 * cross-entropy reconstruction loss, see {@link dev.mi4j.core.train.DaeTrainer}).
 *
 * <p>{@link #encode}, {@link #decode} and {@link #reconstruct} are plain inference-mode matrix
 * products of the network's current parameters (no dropout, no training-mode state), on
 * [n, c, h, w] images in [0, 1] and [n, {@value #CODE}] codes. Decoder weights are not tied to
 * the encoder's.
 */
public final class Autoencoder {

    /** Width of the first encoder layer (and the last decoder hidden layer). */
    public static final int HIDDEN = 1000;
    /** Width of the code: the layer the DAE classifier's softmax reads. */
    public static final int CODE = 300;

    private final MultiLayerNetwork network;
    private final ImageShape shape;

    /** Wraps a trained network of the shape {@link #configuration} builds. */
    public Autoencoder(MultiLayerNetwork network, ImageShape shape) {
        this.network = Objects.requireNonNull(network, "network");
        this.shape = Objects.requireNonNull(shape, "shape");
        if (network.getnLayers() != 4) {
            throw new IllegalArgumentException("network: an autoencoder has 4 layers, got " + network.getnLayers());
        }
        long in = network.getLayer(0).getParam("W").size(0);
        long out = network.getLayer(3).getParam("W").size(1);
        if (in != shape.size() || out != shape.size()) {
            throw new IllegalArgumentException("network: expects " + in + " inputs and gives " + out
                    + " outputs, but shape " + shape + " has " + shape.size() + " values");
        }
        if (network.getLayer(1).getParam("W").size(1) != CODE) {
            throw new IllegalArgumentException("network: code width must be " + CODE + ", got "
                    + network.getLayer(1).getParam("W").size(1));
        }
    }

    /** A freshly initialised autoencoder (seeded Xavier) for images of {@code shape}. */
    public static Autoencoder create(ImageShape shape, long seed, IUpdater updater, DataType dataType) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(shape, seed, updater, dataType));
        net.init();
        return new Autoencoder(net, shape);
    }

    /** Four sigmoid layers; the output layer's loss is binary cross-entropy against the clean pixels. */
    public static MultiLayerConfiguration configuration(ImageShape shape, long seed, IUpdater updater,
                                                        DataType dataType) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(updater, "updater");
        int pixels = Math.toIntExact(shape.size());
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nOut(HIDDEN).activation(Activation.SIGMOID).build())
                .layer(new DenseLayer.Builder().nOut(CODE).activation(Activation.SIGMOID).build())
                .layer(new DenseLayer.Builder().nOut(HIDDEN).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(pixels)
                        .activation(Activation.SIGMOID).build())
                .setInputType(InputType.convolutional(shape.height(), shape.width(), shape.channels()))
                .build();
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public ImageShape shape() {
        return shape;
    }

    /** [n, c, h, w] (or [n, pixels]) images -> [n, {@value #CODE}] codes. */
    public INDArray encode(INDArray images) {
        INDArray x = flat(images);
        return dense(dense(x, network.getLayer(0)), network.getLayer(1));
    }

    /** [n, {@value #CODE}] codes -> [n, c, h, w] images in (0, 1). */
    public INDArray decode(INDArray codes) {
        if (codes.rank() != 2 || codes.size(1) != CODE) {
            throw new IllegalArgumentException("codes: expected [n, " + CODE + "], got "
                    + java.util.Arrays.toString(codes.shape()));
        }
        INDArray z = codes.dataType() == network.params().dataType() ? codes : codes.castTo(network.params().dataType());
        INDArray y = dense(dense(z, network.getLayer(2)), network.getLayer(3));
        return y.reshape('c', codes.size(0), shape.channels(), shape.height(), shape.width());
    }

    /** decode(encode(images)): the projection of the images onto the autoencoder's learnt face manifold. */
    public INDArray reconstruct(INDArray images) {
        return decode(encode(images));
    }

    /**
     * Copies the encoder's two layers into the first two layers of a {@link Architecture#DAE}
     * classifier for the same image shape.
     */
    public void copyEncoderInto(MultiLayerNetwork classifier) {
        for (int i = 0; i < 2; i++) {
            for (String p : new String[] {"W", "b"}) {
                INDArray src = network.getLayer(i).getParam(p);
                INDArray dst = classifier.getLayer(i).getParam(p);
                if (!java.util.Arrays.equals(src.shape(), dst.shape())) {
                    throw new IllegalArgumentException("classifier: layer " + i + " " + p + " has shape "
                            + java.util.Arrays.toString(dst.shape()) + ", the encoder's is "
                            + java.util.Arrays.toString(src.shape()));
                }
                dst.assign(src);
            }
        }
    }

    private INDArray flat(INDArray images) {
        long n = images.size(0);
        long len = images.length() / Math.max(1, n);
        if (len != shape.size()) {
            throw new IllegalArgumentException("images: expected " + shape + " per image, got "
                    + java.util.Arrays.toString(images.shape()));
        }
        INDArray x = images.reshape('c', n, len);
        return x.dataType() == network.params().dataType() ? x : x.castTo(network.params().dataType());
    }

    /** sigmoid(x W + b) with the layer's current parameters (every layer of this network is sigmoid). */
    private static INDArray dense(INDArray x, Layer layer) {
        INDArray pre = x.mmul(layer.getParam("W")).addiRowVector(layer.getParam("b"));
        return Transforms.sigmoid(pre, false);
    }
}
