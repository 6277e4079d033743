package dev.mi4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.testing.ConvPaths;
import dev.mi4j.core.testing.GradientChecks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

class NetworkClassifierTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 10);
    private static final int CLASSES = 5;

    private static MultiLayerNetwork doubleNet(Architecture arch) {
        MultiLayerNetwork net = arch.build(SHAPE, CLASSES, 42, new Adam(1e-3), 0, DataType.DOUBLE);
        if (arch == Architecture.SOFTMAX) {
            // Softmax regression starts from zero weights (see Architecture.SOFTMAX), where every
            // input gradient is exactly zero: give it seeded random weights, as training would.
            Nd4j.getRandom().setSeed(42);
            net.setParams(Nd4j.randn(DataType.DOUBLE, 1, net.numParams()).muli(0.1));
        }
        return net;
    }

    private static INDArray randomImages(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, SHAPE.batchShape(n));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void inputGradientMatchesCentralDifferences(Architecture arch) {
        assertGradientMatchesCentralDifferences(arch);
    }

    /**
     * The NHWC layout (the default on the oneDNN natives) in DOUBLE. It once failed here with the
     * gradient exactly twice the central difference: each call copied its images into a view of
     * the previous call's images, so the "+h" call moved the baseline and the "-h" one measured a
     * step of h, not 2h.
     */
    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"CNN", "EVAL"})
    void inputGradientMatchesCentralDifferencesInNhwcLayout(Architecture arch) {
        ConvPaths.with("nhwc", "auto", "auto", () -> {
            assertGradientMatchesCentralDifferences(arch);
            return null;
        });
    }

    /** Sub-batches (views at offset 0 and 1) through the per-image GEMM path and the NHWC path. */
    @ParameterizedTest
    @ValueSource(strings = {"nchw gemm gemm", "nhwc op auto"})
    void aCallNeverWritesIntoTheImagesOfAnEarlierCall(String path) {
        String[] p = path.split(" ");
        NetworkClassifier clf = ConvPaths.with(p[0], p[1], p[2],
                () -> new NetworkClassifier(doubleNet(Architecture.CNN), SHAPE));
        INDArray first = randomImages(2, 3);
        INDArray firstCopy = first.dup();
        INDArray batch = randomImages(4, 5);
        int[] targets = {0, 1};
        InputGradient expected = clf.inputGradient(batch.get(NDArrayIndex.interval(1, 3)).dup(), targets, Objective.NEG_LOG_P);
        clf.inputGradient(first, targets, Objective.NEG_LOG_P);
        for (int from : new int[] {0, 1}) {
            INDArray view = batch.get(NDArrayIndex.interval(from, from + 2));
            InputGradient g = clf.inputGradient(view, targets, Objective.NEG_LOG_P);
            assertEquals(clf.predict(view.dup()), clf.predict(view), path + ": predict of a view at " + from);
            if (from == 1) {
                assertEquals(expected.gradient(), g.gradient(), path + ": gradient of a view");
            }
        }
        assertEquals(firstCopy, first, path + ": the first call's images changed");
    }

    private static void assertGradientMatchesCentralDifferences(Architecture arch) {
        MultiLayerNetwork net = doubleNet(arch);
        NetworkClassifier clf = new NetworkClassifier(net, SHAPE);
        INDArray x = randomImages(2, 7);
        int[] targets = {1, 3};
        for (Objective objective : Objective.values()) {
            assertArrayEquals(x.shape(), clf.inputGradient(x, targets, objective).gradient().shape());
            GradientChecks.Result r = GradientChecks.centralDifferences(clf, x, targets, objective, 24, 1e-6, 11);
            assertTrue(r.maxAbsGradient() > 0, arch + " " + objective + ": gradient is zero on all sampled pixels");
            assertTrue(r.relativeError() < 1e-5, arch + " " + objective + ": relative error " + r.relativeError());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void predictionsMatchTheNetworkAndNothingIsModified(Architecture arch) {
        MultiLayerNetwork net = doubleNet(arch);
        INDArray before = net.params().dup();
        NetworkClassifier clf = new NetworkClassifier(net, SHAPE);
        INDArray x = randomImages(3, 5);
        INDArray xCopy = x.dup();
        INDArray expected = net.output(x, false);
        INDArray p = clf.predict(x);
        assertTrue(expected.equalsWithEps(p, 1e-10), arch + ": " + expected + " vs " + p);
        InputGradient g = clf.inputGradient(x, new int[] {0, 1, 4}, Objective.NEG_LOG_P);
        assertTrue(expected.equalsWithEps(g.probabilities(), 1e-10));
        INDArray f = clf.features(x);
        assertEquals(3, f.size(0));
        assertEquals(before, net.params(), "parameters changed");
        assertEquals(xCopy, x, "input changed");
        assertEquals(6, clf.queryCount(), "predict + gradient images");
        clf.resetQueryCount();
        assertEquals(0, clf.queryCount());
    }

    @Test
    void costsAndLabelProbabilitiesAgree() {
        NetworkClassifier clf = new NetworkClassifier(doubleNet(Architecture.SOFTMAX), SHAPE);
        INDArray x = randomImages(4, 3);
        int[] t = {0, 1, 2, 3};
        InputGradient one = clf.inputGradient(x, t, Objective.ONE_MINUS_P);
        InputGradient log = clf.inputGradient(x, t, Objective.NEG_LOG_P);
        double[] pl = NetworkClassifier.labelProbabilities(one.probabilities(), t);
        for (int i = 0; i < t.length; i++) {
            assertEquals(1 - pl[i], one.cost().getDouble(i), 1e-12);
            assertEquals(-Math.log(pl[i]), log.cost().getDouble(i), 1e-10);
        }
        InputGradient margin = clf.inputGradient(x, t, Objective.MARGIN);
        for (int i = 0; i < t.length; i++) {
            // margin > 0 exactly when the target is not the top class
            boolean top = Nd4j.argMax(one.probabilities().getRow(i)).getInt(0) == t[i];
            assertEquals(top, margin.cost().getDouble(i) < 0);
        }
    }

    /**
     * A caller's gradient buffer: for softmax regression and the MLP the engine writes the first
     * layer's backward GEMM straight into it. The result must be the buffer, equal to the copied
     * gradient bit for bit, and no later call (with another buffer or none) may write into it.
     * The costs and label probabilities read without ND4J must be the values of the arrays.
     */
    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"SOFTMAX", "MLP", "CNN"})
    void gradientIntoTheCallersBufferEqualsTheCopyAndIsNeverReused(Architecture arch) {
        MultiLayerNetwork net = arch.build(SHAPE, CLASSES, 42, new Adam(1e-3), 0, DataType.FLOAT);
        Nd4j.getRandom().setSeed(42);
        net.setParams(Nd4j.randn(DataType.FLOAT, 1, net.numParams()).muli(0.1));
        NetworkClassifier clf = new NetworkClassifier(net, SHAPE);
        INDArray x = randomImages(3, 9).castTo(DataType.FLOAT);
        int[] t = {0, 2, 4};
        InputGradient copied = clf.inputGradient(x, t, Objective.ONE_MINUS_P);
        INDArray buffer = Nd4j.create(DataType.FLOAT, SHAPE.batchShape(3));
        InputGradient direct = clf.inputGradient(x, t, Objective.ONE_MINUS_P, buffer);
        assertTrue(direct.gradient() == buffer, arch + ": the caller's buffer is the gradient");
        assertEquals(copied.gradient(), buffer, arch + ": same gradient");
        INDArray kept = buffer.dup();
        clf.inputGradient(randomImages(3, 1).castTo(DataType.FLOAT), t, Objective.NEG_LOG_P);
        clf.inputGradient(randomImages(3, 2).castTo(DataType.FLOAT), t, Objective.NEG_LOG_P,
                Nd4j.create(DataType.FLOAT, SHAPE.batchShape(3)));
        clf.inputGradient(randomImages(3, 4).castTo(DataType.FLOAT), t, Objective.NEG_LOG_P);
        assertEquals(kept, buffer, arch + ": a later call wrote into an earlier caller's buffer");

        double[] costs = direct.costValues();
        double[] pLabel = direct.labelProbabilities(t);
        for (int i = 0; i < t.length; i++) {
            assertEquals(direct.cost().getDouble(i), costs[i], 0.0, arch + ": cost " + i);
            assertEquals(direct.probabilities().getDouble(i, t[i]), pLabel[i], 0.0, arch + ": p_label " + i);
        }
        assertTrue(direct.hasRows(3) && !direct.hasRows(2));
    }

    @Test
    void floatNetworkGivesFloatResults() {
        MultiLayerNetwork net = Architecture.CNN.build(SHAPE, CLASSES, 1);
        NetworkClassifier clf = new NetworkClassifier(net, SHAPE);
        InputGradient g = clf.inputGradient(randomImages(2, 1), new int[] {0, 1}, Objective.ONE_MINUS_P);
        assertEquals(DataType.FLOAT, g.gradient().dataType());
        assertEquals(CLASSES, clf.numClasses());
    }

    @Test
    void rejectsBadArguments() {
        NetworkClassifier clf = new NetworkClassifier(doubleNet(Architecture.SOFTMAX), SHAPE);
        assertThrows(IllegalArgumentException.class, () -> clf.predict(Nd4j.rand(DataType.DOUBLE, 2, 1, 10, 12)));
        assertThrows(IllegalArgumentException.class,
                () -> clf.inputGradient(randomImages(2, 1), new int[] {0}, Objective.MARGIN));
        assertThrows(IllegalArgumentException.class,
                () -> clf.inputGradient(randomImages(1, 1), new int[] {CLASSES}, Objective.MARGIN));
    }
}
