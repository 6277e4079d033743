package dev.mi4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.testing.GradientChecks;
import dev.mi4j.core.testing.TestNetworks;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The two gradient paths of {@link NetworkClassifier} ({@link GradientPath}): the fast engine
 * against DL4J's own backprop in inference mode on the target zoo; the general path against
 * central differences on networks the fast engine does not know (batch norm, deconvolution,
 * upsampling, a ComputationGraph with a merge vertex); the network left untouched; the refusals.
 */
class NetworkClassifierPathsTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 10);
    private static final int CLASSES = 5;
    private static final int[] TARGETS = {1, 3, 0};

    /**
     * Both engines compute the same function of the same double-precision parameters; they differ
     * only in the order of floating-point sums (their own GEMM layouts, im2col vs DL4J's, the
     * flattening copy): differences at the 1e-16 relative level, about 1e-15 absolute for these
     * gradients (max |gradient| ~ 0.01..1). 1e-10 leaves five orders of magnitude for that and
     * still fails on any real disagreement (a missed ReLU mask, dropout applied, a wrong scale),
     * which moves gradients by 1e-3 or more.
     */
    private static final double PATHS_AGREE = 1e-10;

    private static MultiLayerNetwork zooNet(Architecture arch) {
        MultiLayerNetwork net = arch.build(SHAPE, CLASSES, 42, new Adam(1e-3), 0, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(42);
        net.setParams(Nd4j.randn(DataType.DOUBLE, 1, net.numParams()).muli(0.1));
        return net;
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"SOFTMAX", "MLP", "CNN", "EVAL", "DAE"})
    void fastAndGeneralPathsAgreeOnTheZoo(Architecture arch) {
        MultiLayerNetwork net = zooNet(arch);
        NetworkClassifier fast = new NetworkClassifier(net, SHAPE, GradientPath.FAST);
        NetworkClassifier general = new NetworkClassifier(net, SHAPE, GradientPath.GENERAL);
        assertEquals(GradientPath.FAST, fast.gradientPath());
        assertEquals(GradientPath.GENERAL, general.gradientPath());
        assertEquals(GradientPath.FAST, new NetworkClassifier(net, SHAPE).gradientPath(), "AUTO takes the fast engine here");
        INDArray x = TestNetworks.images(SHAPE, TARGETS.length, 7, DataType.DOUBLE);
        assertTrue(GradientChecks.maxAbsDiff(fast.predict(x), general.predict(x)) <= PATHS_AGREE, arch + ": predict");
        assertTrue(GradientChecks.maxAbsDiff(fast.features(x), general.features(x)) <= PATHS_AGREE, arch + ": features");
        for (Objective o : Objective.values()) {
            InputGradient a = fast.inputGradient(x, TARGETS, o);
            InputGradient b = general.inputGradient(x, TARGETS, o);
            double grad = GradientChecks.maxAbsDiff(a.gradient(), b.gradient());
            double cost = GradientChecks.maxAbsDiff(a.cost(), b.cost());
            double scale = a.gradient().amaxNumber().doubleValue();
            System.err.printf("paths %s %s: max |fast - general| gradient %.3g (max |gradient| %.3g), cost %.3g%n",
                    arch, o.symbol(), grad, scale, cost);
            assertTrue(scale > 0, arch + " " + o + ": zero gradient");
            assertTrue(grad <= PATHS_AGREE, arch + " " + o + ": gradients differ by " + grad);
            assertTrue(cost <= PATHS_AGREE, arch + " " + o + ": costs differ by " + cost);
            assertTrue(GradientChecks.maxAbsDiff(a.probabilities(), b.probabilities()) <= PATHS_AGREE);
        }
    }

    @Test
    void generalPathMatchesCentralDifferencesThroughBatchNormDeconvolutionAndUpsampling() {
        MultiLayerNetwork net = TestNetworks.batchNormDeconv(SHAPE, CLASSES, 3, DataType.DOUBLE, 1.0);
        NetworkClassifier clf = new NetworkClassifier(net, SHAPE);
        assertEquals(GradientPath.GENERAL, clf.gradientPath(), "AUTO falls back to the general path");
        INDArray x = TestNetworks.images(SHAPE, TARGETS.length, 5, DataType.DOUBLE);
        assertTrue(net.output(x, false).equalsWithEps(clf.predict(x), 1e-12), "probabilities as DL4J's inference output");
        assertCentralDifferences(clf, x, "batch norm + deconvolution");
        // DL4J's own calculateGradients runs the batch norm on batch statistics (training mode): a
        // different function. Shown here so that this test means something: it is far off.
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, TARGETS.length, CLASSES);
        for (int i = 0; i < TARGETS.length; i++) {
            labels.putScalar(i, TARGETS[i], 1.0);
        }
        INDArray trainingMode = net.calculateGradients(x, labels, null, null).getSecond();
        INDArray ours = clf.inputGradient(x, TARGETS, Objective.NEG_LOG_P).gradient();
        double off = GradientChecks.maxAbsDiff(trainingMode, ours);
        System.err.printf("batch norm net: max |DL4J calculateGradients (training mode) - general path| %.3g"
                + " (max |gradient| %.3g)%n", off, ours.amaxNumber().doubleValue());
        assertTrue(off > 1e-3 * ours.amaxNumber().doubleValue(), "training and inference mode should differ here");
    }

    @Test
    void computationGraphWithMergeVertexGetsCorrectInputGradientsAndDescentRaisesPLabel() {
        ComputationGraph graph = TestNetworks.mergeGraph(SHAPE, CLASSES, 9, DataType.DOUBLE, 1.0);
        NetworkClassifier clf = new NetworkClassifier(graph, SHAPE);
        assertEquals(GradientPath.GENERAL, clf.gradientPath());
        assertEquals(CLASSES, clf.numClasses());
        INDArray x = TestNetworks.images(SHAPE, TARGETS.length, 5, DataType.DOUBLE);
        assertTrue(graph.outputSingle(false, x).equalsWithEps(clf.predict(x), 1e-12), "probabilities as DL4J's inference output");
        assertEquals(12, clf.features(x).size(1), "features: the input of the output layer");
        assertCentralDifferences(clf, x, "merge graph");

        // Gradient descent on the input (pixels clamped to [0, 1]) raises p_label for every target.
        INDArray img = Nd4j.valueArrayOf(SHAPE.batchShape(TARGETS.length), 0.5, DataType.DOUBLE);
        double[] before = NetworkClassifier.labelProbabilities(clf.predict(img), TARGETS);
        for (int step = 0; step < 60; step++) {
            InputGradient g = clf.inputGradient(img, TARGETS, Objective.NEG_LOG_P);
            img.subi(g.gradient());
            img.assign(org.nd4j.linalg.ops.transforms.Transforms.min(
                    org.nd4j.linalg.ops.transforms.Transforms.max(img, 0.0, false), 1.0, false));
        }
        double[] after = NetworkClassifier.labelProbabilities(clf.predict(img), TARGETS);
        double rise = 0;
        for (int i = 0; i < TARGETS.length; i++) {
            System.err.printf("merge graph, 60 descent steps: label %d p %.4f -> %.4f%n", TARGETS[i], before[i], after[i]);
            assertTrue(after[i] > before[i] + 0.01, "label " + TARGETS[i] + ": p " + before[i] + " -> " + after[i]);
            rise += after[i] - before[i];
        }
        // (The pixel box [0, 1] limits what a random network's p can reach: one label starts at 0.5 and gains little.)
        assertTrue(rise / TARGETS.length > 0.2, "mean rise of p_label " + rise / TARGETS.length);
    }

    private static void assertCentralDifferences(NetworkClassifier clf, INDArray x, String what) {
        for (Objective o : Objective.values()) {
            GradientChecks.Result r = GradientChecks.centralDifferences(clf, x, TARGETS, o, 24, 1e-6, 11);
            System.err.printf("%s %s: central differences relative error %.3g, max abs error %.3g (max |gradient| %.3g)%n",
                    what, o.symbol(), r.relativeError(), r.maxAbsError(), r.maxAbsGradient());
            assertTrue(r.maxAbsGradient() > 0, what + " " + o + ": gradient zero on all sampled pixels");
            assertTrue(r.relativeError() < 1e-6, what + " " + o + ": relative error " + r.relativeError());
        }
    }

    /** Counts every listener call: the classifier must cause none. */
    private static final class CountingListener extends BaseTrainingListener {
        int calls;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            calls++;
        }

        @Override
        public void onForwardPass(Model model, java.util.List<INDArray> activations) {
            calls++;
        }

        @Override
        public void onForwardPass(Model model, java.util.Map<String, INDArray> activations) {
            calls++;
        }

        @Override
        public void onGradientCalculation(Model model) {
            calls++;
        }

        @Override
        public void onBackwardPass(Model model) {
            calls++;
        }
    }

    /** The state a call could change: parameters, updater state, counters, listener calls. */
    private record State(byte[] params, byte[] updater, int iteration, int epoch, int listenerCalls) {
        static State of(Model m, CountingListener l) {
            INDArray u = m instanceof MultiLayerNetwork n ? n.getUpdater().getStateViewArray()
                    : ((ComputationGraph) m).getUpdater().getStateViewArray();
            int it = m instanceof MultiLayerNetwork n ? n.getIterationCount() : ((ComputationGraph) m).getIterationCount();
            int ep = m instanceof MultiLayerNetwork n ? n.getEpochCount() : ((ComputationGraph) m).getEpochCount();
            return new State(bytes(m.params()), bytes(u), it, ep, l.calls);
        }

        private static byte[] bytes(INDArray a) {
            double[] v = a.dup('c').data().asDouble();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * v.length);
            for (double d : v) {
                b.putLong(Double.doubleToRawLongBits(d));
            }
            return b.array();
        }
    }

    @Test
    void theNetworkIsNeverModifiedAndDropoutNeverApplied() {
        // Trained for two steps first, so that there is updater state (Adam moments) to compare.
        MultiLayerNetwork net = TestNetworks.batchNormDeconv(SHAPE, CLASSES, 4, DataType.DOUBLE, 0.5);
        ComputationGraph graph = TestNetworks.mergeGraph(SHAPE, CLASSES, 4, DataType.DOUBLE, 0.5);
        INDArray x = TestNetworks.images(SHAPE, TARGETS.length, 8, DataType.DOUBLE);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, TARGETS.length, CLASSES);
        for (int i = 0; i < TARGETS.length; i++) {
            labels.putScalar(i, TARGETS[i], 1.0);
        }
        for (int i = 0; i < 2; i++) {
            net.fit(new DataSet(x, labels));
            graph.fit(new org.nd4j.linalg.dataset.MultiDataSet(x, labels));
        }
        for (Model m : List.<Model>of(net, graph)) {
            CountingListener listener = new CountingListener();
            if (m instanceof MultiLayerNetwork n) {
                n.setListeners(listener);
            } else {
                ((ComputationGraph) m).setListeners(listener);
            }
            State before = State.of(m, listener);
            NetworkClassifier clf = m instanceof MultiLayerNetwork n ? new NetworkClassifier(n, SHAPE, GradientPath.GENERAL)
                    : new NetworkClassifier((ComputationGraph) m, SHAPE, GradientPath.GENERAL);
            List<INDArray> gradients = new ArrayList<>();
            for (int call = 0; call < 3; call++) {
                clf.predict(x);
                clf.features(x);
                gradients.add(clf.inputGradient(x, TARGETS, Objective.ONE_MINUS_P).gradient());
            }
            State after = State.of(m, listener);
            String what = m.getClass().getSimpleName();
            assertArrayEquals(before.params(), after.params(), what + ": parameters changed");
            assertArrayEquals(before.updater(), after.updater(), what + ": updater state changed");
            assertEquals(before.iteration(), after.iteration(), what + ": iteration count changed");
            assertEquals(before.epoch(), after.epoch(), what + ": epoch count changed");
            assertEquals(0, after.listenerCalls() - before.listenerCalls(), what + ": listeners were called");
            assertEquals(gradients.get(0), gradients.get(1), what + ": two calls differ (dropout applied?)");
            assertEquals(gradients.get(0), gradients.get(2), what + ": three calls differ (dropout applied?)");
            // Inference mode: the gradient of the function DL4J's output(x, false) computes.
            assertCentralDifferences(clf, x, what + " with dropout");
        }
    }

    @Test
    void theGeneralPathReadsTheNetworksCurrentWeights() {
        INDArray x = TestNetworks.images(SHAPE, 2, 1, DataType.DOUBLE);
        for (Model m : List.<Model>of(TestNetworks.batchNormDeconv(SHAPE, CLASSES, 6, DataType.DOUBLE, 1.0),
                TestNetworks.mergeGraph(SHAPE, CLASSES, 6, DataType.DOUBLE, 1.0))) {
            NetworkClassifier clf = new NetworkClassifier(m, SHAPE, GradientPath.GENERAL,
                    dev.mi4j.core.model.backprop.BackpropOptions.AUTOMATIC);
            INDArray first = clf.inputGradient(x, new int[] {0, 1}, Objective.NEG_LOG_P).gradient();
            m.params().muli(1.1);   // in place, as training does
            INDArray second = clf.inputGradient(x, new int[] {0, 1}, Objective.NEG_LOG_P).gradient();
            INDArray fresh = new NetworkClassifier(m, SHAPE, GradientPath.GENERAL,
                    dev.mi4j.core.model.backprop.BackpropOptions.AUTOMATIC)
                    .inputGradient(x, new int[] {0, 1}, Objective.NEG_LOG_P).gradient();
            String what = m.getClass().getSimpleName();
            assertFalse(first.equalsWithEps(second, 1e-6), what + ": the update was not seen");
            assertEquals(fresh, second, what + ": not the same as a classifier built after the update");
        }
    }

    /** Keras-style endings: the softmax on a dense layer with an identity loss layer after it, or as an activation layer. */
    @Test
    void softmaxMayEndInADenseActivationOrLossLayer() {
        MultiLayerNetwork plain = Architecture.MLP.build(SHAPE, CLASSES, 5, new Adam(1e-3), 0, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(5);
        plain.setParams(Nd4j.randn(DataType.DOUBLE, 1, plain.numParams()).muli(0.1));
        NetworkClassifier reference = new NetworkClassifier(plain, SHAPE, GradientPath.FAST);
        INDArray x = TestNetworks.images(SHAPE, TARGETS.length, 3, DataType.DOUBLE);
        List<NeuralNetConfiguration.ListBuilder> variants = List.of(
                base().layer(new DenseLayer.Builder().nOut(CLASSES).activation(Activation.SOFTMAX).build())
                        .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build()),
                base().layer(new DenseLayer.Builder().nOut(CLASSES).activation(Activation.IDENTITY).build())
                        .layer(new ActivationLayer.Builder().activation(Activation.SOFTMAX).build()),
                base().layer(new DenseLayer.Builder().nOut(CLASSES).activation(Activation.IDENTITY).build())
                        .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build()));
        for (NeuralNetConfiguration.ListBuilder b : variants) {
            MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(12, 10, 1)).build());
            net.init(plain.params().dup(), false);   // the same W and b layout as the MLP's dense + output layers
            NetworkClassifier clf = new NetworkClassifier(net, SHAPE);
            assertEquals(GradientPath.GENERAL, clf.gradientPath());
            String what = net.getLayer(2).conf().getLayer().getClass().getSimpleName() + " ending";
            assertTrue(GradientChecks.maxAbsDiff(reference.features(x), clf.features(x)) <= PATHS_AGREE, what + ": features");
            for (Objective o : Objective.values()) {
                double d = GradientChecks.maxAbsDiff(reference.inputGradient(x, TARGETS, o).gradient(),
                        clf.inputGradient(x, TARGETS, o).gradient());
                assertTrue(d <= PATHS_AGREE, what + " " + o + ": " + d);
            }
        }
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nOut(3000).activation(Activation.SIGMOID).build());
    }

    /** A network trained on flat vectors (no CNN-to-dense preprocessor) takes the images flattened. */
    @Test
    void aFlatInputNetworkTakesFlattenedImages() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE)
                .list()
                .layer(new DenseLayer.Builder().nOut(7).activation(Activation.TANH).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(SHAPE.size())).build());
        net.init();
        TestNetworks.randomize(net, 2);
        NetworkClassifier clf = new NetworkClassifier(net, SHAPE);
        INDArray x = TestNetworks.images(SHAPE, TARGETS.length, 4, DataType.DOUBLE);
        assertTrue(net.output(x.reshape(TARGETS.length, SHAPE.size()), false).equalsWithEps(clf.predict(x), 1e-12));
        assertCentralDifferences(clf, x, "flat-input net");
    }

    @Test
    void fastRefusesAnUnknownLayerNamingIt() {
        MultiLayerNetwork net = TestNetworks.batchNormDeconv(SHAPE, CLASSES, 1, DataType.FLOAT, 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkClassifier(net, SHAPE, GradientPath.FAST));
        System.err.println("FAST refusal: " + e.getMessage());
        NetworkClassifier auto = new NetworkClassifier(net, SHAPE);
        assertEquals(GradientPath.GENERAL, auto.gradientPath());
        InputGradient g0 = auto.inputGradient(TestNetworks.images(SHAPE, 2, 1, DataType.FLOAT), new int[] {0, 4}, Objective.MARGIN);
        assertEquals(DataType.FLOAT, g0.gradient().dataType(), "a float network gives float results");
        assertEquals(DataType.FLOAT, g0.probabilities().dataType());
        assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("BatchNormalization"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        ComputationGraph graph = TestNetworks.mergeGraph(SHAPE, CLASSES, 1, DataType.FLOAT, 1.0);
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> new NetworkClassifier(graph, SHAPE, GradientPath.FAST));
        assertTrue(g.getMessage().contains("ComputationGraph"), g.getMessage());
        assertThrows(IllegalStateException.class, () -> new NetworkClassifier(graph, SHAPE).network());
    }

    @Test
    void gradientPathParses() {
        assertEquals(GradientPath.GENERAL, GradientPath.parse(" General "));
        assertEquals(GradientPath.FAST, GradientPath.parse("fast"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientPath.parse("quick"));
        assertTrue(e.getMessage().startsWith("gradient"), e.getMessage());
    }
}
