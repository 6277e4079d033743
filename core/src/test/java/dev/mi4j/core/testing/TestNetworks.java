package dev.mi4j.core.testing;

import dev.mi4j.core.image.ImageShape;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Networks outside the target zoo (layers the fast engine does not know), for tests of the
 * general gradient path. Smooth activations (tanh, sigmoid, average pooling) so that central
 * differences are accurate; parameters seeded Gaussian, and batch-norm running statistics set
 * away from their initial 0 / 1 so that an inference-mode error cannot hide.
 */
public final class TestNetworks {

    private TestNetworks() {
    }

    /**
     * conv 3x3 (tanh) -> batch norm -> deconvolution 2x2 stride 2 (tanh) -> upsampling x2 ->
     * average pool 4x4 -> dense (sigmoid) -> batch norm -> softmax output. {@code dropout} &lt; 1
     * adds dropout (retain probability) to the dense and output layers.
     */
    public static MultiLayerNetwork batchNormDeconv(ImageShape shape, int classes, long seed, DataType type, double dropout) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(type)
                .updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(3).activation(Activation.TANH).build())
                .layer(new Upsampling2D.Builder(2).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(4, 4).stride(4, 4).build())
                .layer(dropout(new DenseLayer.Builder().nOut(16).activation(Activation.SIGMOID), dropout).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(dropout(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX), dropout).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(shape.height(), shape.width(),
                shape.channels())).build());
        net.init();
        randomize(net, seed);
        return net;
    }

    /**
     * Two branches merged: conv 3x3 (3 channels, tanh) and conv 5x5 (2 channels, tanh), both
     * "Same", a {@link MergeVertex} (5 channels), batch norm, dense (tanh), softmax output.
     */
    public static ComputationGraph mergeGraph(ImageShape shape, int classes, long seed, DataType type, double dropout) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(seed).dataType(type)
                .updater(new Adam(1e-3)).graphBuilder()
                .addInputs("in")
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(5, 5).nOut(2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build(), "in")
                .addVertex("merge", new MergeVertex(), "a", "b")
                .addLayer("bn", new BatchNormalization.Builder().build(), "merge")
                .addLayer("dense", dropout(new DenseLayer.Builder().nOut(12).activation(Activation.TANH), dropout).build(), "bn")
                .addLayer("out", dropout(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX), dropout).build(), "dense")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(shape.height(), shape.width(), shape.channels()))
                .build());
        g.init();
        randomize(g, seed);
        return g;
    }

    private static <T extends org.deeplearning4j.nn.conf.layers.Layer.Builder<T>> T dropout(T b, double retain) {
        return retain < 1 ? b.dropOut(retain) : b;
    }

    /**
     * Seeded Gaussian parameters (scale 0.5); batch-norm gamma near 1, running mean near 0 and
     * running variance in [0.3, 2] (or the log10 of its square root): an inference-mode batch
     * norm then differs clearly from one with batch statistics.
     */
    public static void randomize(Model model, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray p = model.params();
        model.setParams(Nd4j.randn(p.dataType(), p.shape()).muli(0.5));
        Layer[] layers = model instanceof MultiLayerNetwork m ? m.getLayers() : ((ComputationGraph) model).getLayers();
        for (Layer l : layers) {
            if (l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                Map<String, INDArray> t = l.paramTable();
                t.get(BatchNormalizationParamInitializer.GAMMA).assign(Nd4j.rand(p.dataType(), t.get("gamma").shape()).addi(0.5));
                t.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).muli(0.5);
                INDArray var = Nd4j.rand(p.dataType(), t.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).shape())
                        .muli(1.7).addi(0.3);
                if (t.containsKey(BatchNormalizationParamInitializer.GLOBAL_VAR)) {
                    t.get(BatchNormalizationParamInitializer.GLOBAL_VAR).assign(var);
                } else {
                    t.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).assign(Transforms.log(Transforms.sqrt(var), 10));
                }
            }
        }
    }

    /** Uniform [0, 1] images, seeded. */
    public static INDArray images(ImageShape shape, int n, long seed, DataType type) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(type, shape.batchShape(n));
    }
}
