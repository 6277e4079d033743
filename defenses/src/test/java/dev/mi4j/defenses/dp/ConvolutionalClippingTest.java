package dev.mi4j.defenses.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.testing.SharedDatasets;
import dev.mi4j.core.testing.TestNetworks;
import dev.mi4j.core.train.Trainer;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.core.train.TrainingResult;
import dev.mi4j.defenses.training.TrainingDefenses;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The batched convolutional path of {@link PerExampleClipping} against the per-example loop, on
 * real AT&amp;T faces: mi4j's CNN at the full 112x92, a network with every padding and stride kind,
 * the one-outlier bound, and which path {@code auto} takes. Tolerances in {@link #assertMatchesLoop}.
 */
class ConvolutionalClippingTest {

    private static final int SUBJECTS = 5;

    private static LabeledImages faces(int height, int width) {
        return SharedDatasets.attFaces(SUBJECTS, 1, 4, height, width);
    }

    private static INDArray rows(INDArray x, int[] rows) {
        INDArray r = x.rank() == 4 ? x.get(NDArrayIndex.indices(Arrays.stream(rows).asLongStream().toArray()),
                NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()) : x.getRows(rows);
        return r.castTo(DataType.FLOAT).dup();
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    /**
     * {@code net} (FLOAT) and its DOUBLE copy; C between the two middle raw norms (some examples
     * clipped, some not). In DOUBLE the batched path equals the loop to 1e-9 relative (norms,
     * clipped sum against its largest entry, mean loss); in FLOAT it equals that exact result to
     * 1e-6 and the FLOAT loop to 1e-5 (float rounding: the two sum the same products in different
     * orders; measured 2e-7 and below).
     */
    private static void assertMatchesLoop(String what, MultiLayerNetwork net, INDArray x, INDArray y) {
        assertTrue(PerExampleClipping.convolutionalEligible(net), what);
        MultiLayerNetwork dnet = net.convertDataType(DataType.DOUBLE);
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray yd = y.castTo(DataType.DOUBLE);
        // C from the batched path's own norms (cheap); everything below is checked against the loop
        double[] sorted = PerExampleClipping.convolutional(net, x, y, 1e30).norms().clone();
        Arrays.sort(sorted);
        double clip = Math.sqrt(sorted[sorted.length / 2 - 1] * sorted[sorted.length / 2]);
        PerExampleClipping.ClippedSum exact = PerExampleClipping.loop(dnet, xd, yd, clip);
        assertTrue(exact.clipped(clip) > 0 && exact.clipped(clip) < sorted.length, "some clipped, some not");
        assertClose(what + " DOUBLE batched vs loop", exact, PerExampleClipping.convolutional(dnet, xd, yd, clip),
                clip, 1e-9);
        PerExampleClipping.ClippedSum floatBatched = PerExampleClipping.convolutional(net, x, y, clip);
        assertClose(what + " FLOAT batched vs DOUBLE loop", exact, floatBatched, clip, 1e-6);
        assertClose(what + " FLOAT batched vs FLOAT loop", PerExampleClipping.loop(net, x, y, clip), floatBatched,
                Double.NaN, 1e-5);
    }

    private static void assertClose(String what, PerExampleClipping.ClippedSum ref, PerExampleClipping.ClippedSum got,
                                    double clip, double tol) {
        double worstNorm = 0;
        for (int i = 0; i < ref.norms().length; i++) {
            assertTrue(ref.norms()[i] > 0, "a non-zero gradient");
            double rel = Math.abs(ref.norms()[i] - got.norms()[i]) / ref.norms()[i];
            worstNorm = Math.max(worstNorm, rel);
            assertTrue(rel <= tol, what + ": norm of example " + i + ": " + ref.norms()[i] + " vs " + got.norms()[i]);
        }
        if (!Double.isNaN(clip)) {
            assertEquals(ref.clipped(clip), got.clipped(clip), what + ": examples clipped");
        }
        INDArray r = ref.sum().castTo(DataType.DOUBLE);
        double scale = maxAbs(r);
        double diff = maxAbs(r.sub(got.sum().castTo(DataType.DOUBLE)));
        System.out.printf("%s, %d params: norms differ by %.3g relative, clipped sums by %.3g of their largest"
                + " entry%n", what, ref.sum().length(), worstNorm, diff / scale);
        assertTrue(diff <= tol * scale, what + ": sums differ by " + diff + ", largest entry " + scale);
        assertEquals(ref.meanLoss(), got.meanLoss(), tol * ref.meanLoss(), what + ": mean loss");
    }

    /** mi4j's CNN target at the AT&amp;T size (1x112x92), on 6 real faces of 5 people. */
    @Test
    void cnnTargetAtFullSizeMatchesTheLoop() {
        LabeledImages att = faces(112, 92);
        int[] pick = {0, 5, 9, 10, 14, 19};
        MultiLayerNetwork net = Architecture.CNN.build(att.shape(), SUBJECTS, 3);
        assertMatchesLoop("cnn", net, rows(att.images(), pick), rows(att.oneHotLabels(), pick));
    }

    /**
     * Every geometry DL4J's convolution knows except causal: explicit padding with truncation and
     * stride 2 on a 5x5 kernel, "Same" with stride 2 (asymmetric padding) and no bias, a
     * non-square dilated kernel with unequal strides, "Strict"; average pooling in "Same" mode and
     * max pooling, a dense layer between, tanh/relu/identity/sigmoid activations.
     */
    @Test
    void paddingStrideAndPoolingVarietyMatchesTheLoop() {
        LabeledImages att = faces(40, 33);
        int[] pick = {1, 3, 6, 8, 11, 13, 16, 18};
        assertMatchesLoop("varied", varied(att.shape()), rows(att.images(), pick), rows(att.oneHotLabels(), pick));
    }

    /** 1x40x33 -> conv5x5/2 pad (1,2) truncate -> avg pool 3x3/1 same -> conv3x3/2 same, no bias -> ... */
    private static MultiLayerNetwork varied(ImageShape shape) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(5, 5).stride(2, 2).padding(1, 2).nOut(4)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).build())
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(6).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(2, 3).stride(1, 2).dilation(2, 1).nOut(5)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build())
                .layer(new ConvolutionLayer.Builder(1, 1).stride(1, 1).nOut(3)
                        .convolutionMode(ConvolutionMode.Strict).activation(Activation.SIGMOID).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Truncate).build())
                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(SUBJECTS)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(shape.height(), shape.width(), shape.channels()))
                .build());
        net.init();
        return net;
    }

    /**
     * One outlier (a saturated noise image under the label the CNN finds least likely) changes the
     * batched path's clipped sum by at most C, whatever its raw gradient (here more than 10 C).
     */
    @Test
    void oneOutlierMovesTheBatchedClippedSumByAtMostC() {
        LabeledImages att = faces(28, 23);
        MultiLayerNetwork net = Architecture.CNN.build(att.shape(), SUBJECTS, 5);
        int[] pick = {0, 2, 5, 7, 9, 12, 15, 18};
        INDArray x = rows(att.images(), pick);
        INDArray y = rows(att.oneHotLabels(), pick);
        Nd4j.getRandom().setSeed(5);
        INDArray outlier = Nd4j.rand(DataType.FLOAT, 1, 1, 28, 23).muli(50);
        int least = Nd4j.argMin(net.output(outlier, false), 1).getInt(0);
        INDArray outLabel = Nd4j.zeros(DataType.FLOAT, 1, SUBJECTS).putScalar(0, least, 1);
        double clip = 0.5;
        PerExampleClipping.ClippedSum with = PerExampleClipping.convolutional(net, Nd4j.concat(0, x, outlier),
                Nd4j.concat(0, y, outLabel), clip);
        PerExampleClipping.ClippedSum without = PerExampleClipping.convolutional(net, x, y, clip);
        double influence = with.sum().sub(without.sum()).norm2Number().doubleValue();
        double raw = with.norms()[pick.length];
        System.out.printf("outlier: raw norm %.4g, influence on the clipped sum %.6g (C = %s)%n", raw, influence, clip);
        assertTrue(raw > 10 * clip, "the outlier's raw gradient norm " + raw);
        assertTrue(influence <= clip * (1 + 1e-5), "influence " + influence);
        assertTrue(influence >= clip * (1 - 1e-3), "clipped to C, not below: " + influence);
    }

    /**
     * {@code auto} takes the batched path for the CNN (the same numbers as calling it directly),
     * the dense path for the MLP, and the loop for networks the batched path refuses: dropout (the
     * evaluation CNN), batch norm and deconvolution, layer normalisation, each refusal naming the layer.
     */
    @Test
    void autoPicksTheBatchedPathForTheCnnAndTheLoopForTheRest() {
        LabeledImages att = faces(28, 23);
        int[] pick = {1, 6, 11, 16};
        INDArray x = rows(att.images(), pick);
        INDArray y = rows(att.oneHotLabels(), pick);

        MultiLayerNetwork cnn = Architecture.CNN.build(att.shape(), SUBJECTS, 1);
        assertEquals("conv-unfolded", PerExampleClipping.method(cnn));
        assertFalse(PerExampleClipping.denseEligible(cnn));
        assertArrayEquals(PerExampleClipping.convolutional(cnn, x, y, 0.1).sum().toFloatVector(),
                PerExampleClipping.auto(cnn, x, y, 0.1).sum().toFloatVector());

        MultiLayerNetwork mlp = Architecture.MLP.build(att.shape(), SUBJECTS, 1);
        assertEquals("dense-norms", PerExampleClipping.method(mlp));
        assertTrue(PerExampleClipping.convolutionalEligible(mlp), "dense layers are a special case");
        assertArrayEquals(PerExampleClipping.dense(mlp, x, y, 0.1).sum().toFloatVector(),
                PerExampleClipping.auto(mlp, x, y, 0.1).sum().toFloatVector(), "dense nets keep the dense path");

        MultiLayerNetwork eval = Architecture.EVAL.build(att.shape(), SUBJECTS, 1);
        assertEquals("per-example-loop", PerExampleClipping.method(eval));
        String m = assertThrows(IllegalArgumentException.class,
                () -> PerExampleClipping.convolutional(eval, x, y, 0.1)).getMessage();
        assertTrue(m.contains("layer 6 (OutputLayer) has dropout"), m);

        MultiLayerNetwork bn = TestNetworks.batchNormDeconv(att.shape(), SUBJECTS, 2, DataType.FLOAT, 1.0);
        assertEquals("per-example-loop", PerExampleClipping.method(bn));
        m = assertThrows(IllegalArgumentException.class, () -> PerExampleClipping.convolutional(bn, x, y, 0.1))
                .getMessage();
        assertTrue(m.contains("layer 1 (BatchNormalization)"), m);
        assertArrayEquals(PerExampleClipping.loop(bn, x, y, 0.1).norms(), PerExampleClipping.auto(bn, x, y, 0.1).norms());

        MultiLayerNetwork layerNorm = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).list()
                .layer(new DenseLayer.Builder().nOut(8).hasLayerNorm(true).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(SUBJECTS)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 23, 1)).build());
        layerNorm.init();
        assertFalse(PerExampleClipping.denseEligible(layerNorm), "layer norm: not a plain dense layer");
        assertEquals("per-example-loop", PerExampleClipping.method(layerNorm));
        m = assertThrows(IllegalArgumentException.class, () -> PerExampleClipping.convolutional(layerNorm, x, y, 0.1))
                .getMessage();
        assertTrue(m.contains("layer 0 (DenseLayer) has layer normalisation"), m);
    }

    /** DP training of the CNN goes through the batched path and records it. */
    @Test
    void dpTrainingOfTheCnnRecordsTheBatchedPath() {
        LabeledImages att = faces(28, 23);
        TrainingConfig cfg = new TrainingConfig(1, 8, 1e-2, 0, 0, 1, 7, TrainingConfig.Optimizer.NESTEROV);
        DpSgd dp = (DpSgd) TrainingDefenses.parse("dp:sigma=1,clip=1");
        TrainingResult r = new Trainer(dp::newHook).run(Architecture.CNN, att, cfg, true);
        assertEquals("conv-unfolded", r.defense().get("perExampleGradients"));
        assertEquals(3L, r.defense().get("steps"));
    }
}
