package dev.mi4j.core.model;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The target model zoo. Every architecture takes [n, c, h, w] input (the feed-forward ones
 * flatten it through DL4J's CNN-to-feed-forward preprocessor) and ends in a softmax output
 * layer trained with multi-class cross-entropy. No batch normalisation anywhere: inference and
 * training forward passes differ only by dropout, so input gradients are exact in inference mode.
 */
public enum Architecture {
    /** Softmax regression, the simplest target of Fredrikson et al. (2015). */
    SOFTMAX("softmax regression: flattened pixels -> softmax") {
        @Override
        NeuralNetConfiguration.ListBuilder layers(NeuralNetConfiguration.Builder b, ImageShape shape, int numClasses) {
            // Zero initial weights: trained by gradient descent, each class template stays a
            // linear combination of training faces (no per-pixel random noise that never decays).
            return b.list().layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses)
                    .activation(Activation.SOFTMAX).weightInit(WeightInit.ZERO).build());
        }
    },
    /** The paper's multilayer perceptron: one hidden layer of 3000 sigmoid units. */
    MLP("multilayer perceptron: flattened pixels -> 3000 sigmoid -> softmax") {
        @Override
        NeuralNetConfiguration.ListBuilder layers(NeuralNetConfiguration.Builder b, ImageShape shape, int numClasses) {
            return b.list()
                    .layer(new DenseLayer.Builder().nOut(3000).activation(Activation.SIGMOID).build())
                    .layer(output(numClasses));
        }
    },
    /** A small convolutional network, a target that is harder to invert than the paper's. */
    CNN("small CNN: 3x (conv3x3 16/32/64 relu + maxpool2) -> dense 128 relu -> softmax") {
        @Override
        NeuralNetConfiguration.ListBuilder layers(NeuralNetConfiguration.Builder b, ImageShape shape, int numClasses) {
            return b.list()
                    .layer(conv(3, 16)).layer(pool())
                    .layer(conv(3, 32)).layer(pool())
                    .layer(conv(3, 64)).layer(pool())
                    .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                    .layer(output(numClasses));
        }
    },
    /**
     * The paper's third target, a stacked denoising autoencoder with a softmax on its code. Built
     * here as a plain classifier, flattened pixels -> 1000 sigmoid -> 300 sigmoid -> softmax, so that
     * every white-box tool ({@link NetworkClassifier}, the trainer, the model store) handles it
     * unchanged. Its two hidden layers are the encoder of an {@link Autoencoder} (mirrored decoder
     * 300 -> 1000 -> pixels, sigmoid) pretrained to reconstruct corrupted faces;
     * {@link dev.mi4j.core.train.Trainer} pretrains it (see {@link dev.mi4j.core.train.DaeTrainer}),
     * copies the encoder in and fine-tunes the whole classifier on the labels. The autoencoder itself
     * (encoder and decoder, needed by the Process-DAE step) travels separately, in
     * {@link dev.mi4j.core.train.TrainingResult#pretraining()}, {@link TargetModel#autoencoder()} and
     * {@link AutoencoderStore} (saved beside the classifier by {@link ModelStore#save}).
     */
    DAE("stacked denoising autoencoder classifier: flattened pixels -> 1000 sigmoid -> 300 sigmoid (encoder pretrained"
            + " to reconstruct corrupted faces) -> softmax") {
        @Override
        NeuralNetConfiguration.ListBuilder layers(NeuralNetConfiguration.Builder b, ImageShape shape, int numClasses) {
            return b.list()
                    .layer(new DenseLayer.Builder().nOut(Autoencoder.HIDDEN).activation(Activation.SIGMOID).build())
                    .layer(new DenseLayer.Builder().nOut(Autoencoder.CODE).activation(Activation.SIGMOID).build())
                    .layer(output(numClasses));
        }
    },
    /**
     * The independent evaluation classifier that judges reconstructions: deliberately a different
     * architecture from every target (5x5 first filters, wider dense layer, dropout).
     */
    EVAL("evaluation CNN: maxpool2 -> conv5x5 32 relu + maxpool2 -> conv3x3 64 relu + maxpool2 -> dense 256 relu (dropout 0.5) -> softmax") {
        @Override
        NeuralNetConfiguration.ListBuilder layers(NeuralNetConfiguration.Builder b, ImageShape shape, int numClasses) {
            // Pooling first: the evaluator sees faces at half resolution, which keeps identity
            // (56x46 on AT&T) and makes it about 4x cheaper to train than at full resolution.
            return b.list()
                    .layer(pool())
                    .layer(conv(5, 32)).layer(pool())
                    .layer(conv(3, 64)).layer(pool())
                    .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build())
                    // DL4J applies a layer's dropout to that layer's input: this drops the 256 features.
                    // 0.5 is the retain probability; dropout is only active while training.
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses)
                            .activation(Activation.SOFTMAX).dropOut(0.5).build());
        }
    };

    private final String description;

    Architecture(String description) {
        this.description = description;
    }

    abstract NeuralNetConfiguration.ListBuilder layers(NeuralNetConfiguration.Builder b, ImageShape shape, int numClasses);

    /** One line saying what the network is. */
    public String description() {
        return description;
    }

    /** Lower-case name used in configs, file names and provenance. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A freshly initialised float network with default optimiser settings (Adam 1e-3, no L2). */
    /** Whether a trained target of this architecture comes with an autoencoder (the DAE's, for Process-DAE). */
    public boolean hasAutoencoder() {
        return this == DAE;
    }

    public MultiLayerNetwork build(ImageShape shape, int numClasses, long seed) {
        return build(shape, numClasses, seed, new Adam(1e-3), 0.0, DataType.FLOAT);
    }

    /** A freshly initialised network with the given updater, L2 penalty and data type. */
    public MultiLayerNetwork build(ImageShape shape, int numClasses, long seed, IUpdater updater, double l2,
                                   DataType dataType) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(shape, numClasses, seed, updater, l2, dataType));
        net.init();
        return net;
    }

    /** The network configuration (seeded Xavier initialisation). */
    public MultiLayerConfiguration configuration(ImageShape shape, int numClasses, long seed, IUpdater updater,
                                                 double l2, DataType dataType) {
        if (shape == null) {
            throw new IllegalArgumentException("shape: must not be null");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses: must be at least 2, got " + numClasses);
        }
        if (l2 < 0 || Double.isNaN(l2)) {
            throw new IllegalArgumentException("l2: must be >= 0, got " + l2);
        }
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .weightInit(WeightInit.XAVIER)
                .updater(updater);
        if (l2 > 0) {
            b.l2(l2);
        }
        return layers(b, shape, numClasses)
                .setInputType(InputType.convolutional(shape.height(), shape.width(), shape.channels()))
                .build();
    }

    /** Parses a config or CLI value (enum name, any case). */
    public static Architecture parse(String value) {
        if (value != null) {
            String v = value.trim().replace('-', '_');
            for (Architecture a : values()) {
                if (a.name().equalsIgnoreCase(v)) {
                    return a;
                }
            }
        }
        throw new Mi4jException("architecture: unknown value '" + value + "' (expected one of "
                + Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", ")) + ")");
    }

    private static OutputLayer output(int numClasses) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses)
                .activation(Activation.SOFTMAX).build();
    }

    private static ConvolutionLayer conv(int kernel, int filters) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(1, 1).nOut(filters)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build();
    }

    private static SubsamplingLayer pool() {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }
}
