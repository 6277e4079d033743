package dev.mi4j.defenses.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.Provenance;
import dev.mi4j.core.testing.SharedDatasets;
import dev.mi4j.core.train.GradientHook;
import dev.mi4j.core.train.MinibatchStep;
import dev.mi4j.core.train.StepGradient;
import dev.mi4j.core.train.Trainer;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.core.train.TrainingResult;
import dev.mi4j.defenses.dp.accounting.NoiseCalibration;
import dev.mi4j.defenses.dp.accounting.RdpAccountant;
import dev.mi4j.defenses.dp.accounting.RdpConversion;
import dev.mi4j.defenses.dp.accounting.RdpOrders;
import dev.mi4j.defenses.training.TrainingDefenses;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** DP-SGD on real AT&amp;T faces (5 identities, 28x23): clipping, noise, accounting, the bound on one example. */
class DpSgdTest {

    private static LabeledImages att;

    @BeforeAll
    static void load() {
        att = SharedDatasets.attFaces(5, 1, 7, 28, 23);
    }

    private static INDArray images(int... rows) {
        return att.images().get(NDArrayIndex.indices(Arrays.stream(rows).asLongStream().toArray()), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all()).dup();
    }

    private static INDArray labels(int... rows) {
        return att.oneHotLabels().getRows(rows).castTo(DataType.FLOAT);
    }

    /** Softmax regression a few epochs in (non-uniform outputs), and an MLP with a 3000-unit sigmoid layer. */
    private static List<MultiLayerNetwork> nets() {
        MultiLayerNetwork softmax = Trainer.train(Architecture.SOFTMAX, att,
                new TrainingConfig(3, 8, 1e-2, 0, 0, 1, 3, TrainingConfig.Optimizer.NESTEROV), true).net();
        MultiLayerNetwork mlp = Architecture.MLP.build(att.shape(), att.numClasses(), 5);
        return List.of(softmax, mlp);
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    /**
     * The dense-layer norms ||delta_i|| * ||a_i|| (plus the bias part) equal the norms of the
     * per-example loop's gradients, and the masked backward pass gives the loop's clipped sum,
     * with C at the median norm so that some examples are clipped and some not. Float rounding:
     * norms to 1e-4 relative, sums to 1e-4 of their largest entry.
     */
    @Test
    void denseNormsAndClippedSumMatchThePerExampleLoop() {
        int[] rows = {0, 4, 9, 13, 18, 22, 27, 33};
        INDArray x = images(rows);
        INDArray y = labels(rows);
        for (MultiLayerNetwork net : nets()) {
            assertTrue(PerExampleClipping.denseEligible(net));
            double[] raw = PerExampleClipping.loop(net, x, y, 1e30).norms();
            double[] sorted = raw.clone();
            Arrays.sort(sorted);
            double clip = sorted[sorted.length / 2];
            PerExampleClipping.ClippedSum loop = PerExampleClipping.loop(net, x, y, clip);
            PerExampleClipping.ClippedSum dense = PerExampleClipping.dense(net, x, y, clip);
            for (int i = 0; i < rows.length; i++) {
                assertEquals(loop.norms()[i], dense.norms()[i], 1e-4 * loop.norms()[i], "norm of example " + i);
            }
            assertTrue(loop.clipped(clip) > 0 && loop.clipped(clip) < rows.length, "some clipped, some not");
            double scale = maxAbs(loop.sum());
            double diff = maxAbs(loop.sum().sub(dense.sum()));
            System.out.printf("%d params: clipped sums differ by %.3g (largest entry %.3g)%n", net.numParams(), diff, scale);
            assertTrue(diff <= 1e-4 * scale, "dense vs loop: " + diff + " vs " + scale);
            assertEquals(loop.meanLoss(), dense.meanLoss(), 1e-4 * loop.meanLoss());
        }
        assertFalse(PerExampleClipping.denseEligible(Architecture.CNN.build(att.shape(), 5, 1)));
        assertFalse(PerExampleClipping.denseEligible(Architecture.EVAL.build(att.shape(), 5, 1)), "dropout");
    }

    /**
     * One outlier (a saturated noise image under a wrong label) changes the clipped sum by at
     * most C, whatever its raw gradient (here more than 10 C): the sensitivity the noise is
     * calibrated to. Both the loop and the dense path.
     */
    @Test
    void oneOutlierMovesTheClippedSumByAtMostC() {
        int[] rows = {1, 8, 15, 22, 29, 30, 31};
        INDArray outlier = Nd4j.rand(DataType.FLOAT, 1, 1, 28, 23).muli(50);
        double clip = 0.5;
        for (MultiLayerNetwork net : nets()) {
            // labelled as the identity the network finds least likely: a large gradient
            int least = Nd4j.argMin(net.output(outlier, false), 1).getInt(0);
            INDArray outLabel = Nd4j.zeros(DataType.FLOAT, 1, 5).putScalar(0, least, 1);
            INDArray xWith = Nd4j.concat(0, images(rows), outlier);
            INDArray yWith = Nd4j.concat(0, labels(rows), outLabel);
            for (boolean dense : new boolean[] {false, true}) {
                PerExampleClipping.ClippedSum with = dense ? PerExampleClipping.dense(net, xWith, yWith, clip)
                        : PerExampleClipping.loop(net, xWith, yWith, clip);
                PerExampleClipping.ClippedSum without = dense ? PerExampleClipping.dense(net, images(rows), labels(rows), clip)
                        : PerExampleClipping.loop(net, images(rows), labels(rows), clip);
                double influence = with.sum().sub(without.sum()).norm2Number().doubleValue();
                double raw = with.norms()[rows.length];
                assertTrue(raw > 10 * clip, "the outlier's raw gradient norm " + raw);
                assertTrue(influence <= clip * (1 + 1e-4), (dense ? "dense" : "loop") + ": influence " + influence);
                assertTrue(influence >= clip * (1 - 1e-3), "clipped to C, not below: " + influence);
            }
        }
    }

    /** The noise added to the clipped sum has standard deviation sigma * C (an empty Poisson step is pure noise). */
    @Test
    void noiseHasTheScaleSigmaTimesC() {
        DpSgd dp = DpSgd.withSigma(1.5, 0.4, 1e-5);
        GradientHook hook = dp.newHook();
        TrainingConfig cfg = new TrainingConfig(2, 8, 1e-2, 0, 0, 1, 21, TrainingConfig.Optimizer.NESTEROV);
        hook.sampler(att.size(), cfg);
        MultiLayerNetwork net = Architecture.SOFTMAX.build(att.shape(), 5, 1);
        StepGradient g = hook.step(new MinibatchStep(net, null, null, new int[0], 0, 1));
        double std = g.gradient().castTo(DataType.DOUBLE).stdNumber().doubleValue();
        double mean = g.gradient().castTo(DataType.DOUBLE).meanNumber().doubleValue();
        long n = g.gradient().length();
        assertEquals(0.6, std, 5 * 0.6 / Math.sqrt(2 * n), "std of " + n + " noise values");
        assertEquals(0, mean, 5 * 0.6 / Math.sqrt(n));
        assertEquals(8, g.divisor(), "divided by the expected batch size");
    }

    /**
     * DP training end to end: sigma calibrated to epsilon 8 at delta 1e-5 for the planned steps,
     * Poisson batches, the record in provenance; the epsilon reported is what the accountant gives
     * for the steps run, and at most the target. Same seed, same parameters.
     */
    @Test
    void trainingCalibratesAccountsAndRecords() {
        TrainingConfig cfg = new TrainingConfig(10, 8, 5e-2, 0, 0, 1, 17, TrainingConfig.Optimizer.NESTEROV);
        DpSgd dp = (DpSgd) TrainingDefenses.parse("dp:epsilon=8,clip=1");
        TrainingResult r = new Trainer(dp::newHook).run(Architecture.SOFTMAX, att, cfg, true);
        Map<String, Object> rec = r.defense();
        System.out.println("dp record: " + rec);
        double q = 8 / 35.0;
        long steps = 10L * 5; // ceil(35 / 8) = 5 steps per epoch
        assertEquals("dp", rec.get("name"));
        assertEquals(dp.parameters(), rec.get("parameters"));
        assertEquals(steps, rec.get("steps"));
        assertEquals(q, (double) rec.get("samplingRate"), 1e-15);
        double sigma = (double) rec.get("noiseMultiplier");
        assertEquals(NoiseCalibration.noiseMultiplier(8, 1e-5, q, steps, RdpOrders.tfPrivacy(), RdpConversion.IMPROVED,
                1e-6), sigma);
        double eps = (double) rec.get("epsilon");
        assertEquals(new RdpAccountant(RdpOrders.tfPrivacy()).compose(q, sigma, steps).spent(1e-5,
                RdpConversion.IMPROVED).epsilon(), eps);
        assertTrue(eps <= 8 && eps > 7.9, "epsilon spent " + eps);
        assertEquals("dense-norms", rec.get("perExampleGradients"));
        assertEquals(false, rec.get("validationSelection"));

        TrainingResult again = new Trainer(dp::newHook).run(Architecture.SOFTMAX, att, cfg, true);
        assertArrayEquals(r.net().params().data().asFloat(), again.net().params().data().asFloat(), "deterministic");
        float[] plain = Trainer.train(Architecture.SOFTMAX, att, cfg, true).net().params().data().asFloat();
        assertFalse(Arrays.equals(plain, r.net().params().data().asFloat()));

        // the record travels in provenance as plain JSON values
        Provenance p = Provenance.create("att", null, "s1-s5, 1-7", 17, Architecture.SOFTMAX, cfg.asMap(), 5,
                att.shape(), att.classNames(), r.trainAccuracy(), null, r.epochsRun(), r.millis()).withDefense(rec);
        try {
            Map<String, Object> back = Provenance.fromJson(p.toJson()).defense();
            assertEquals(eps, ((Number) back.get("epsilon")).doubleValue());
            assertEquals("dp", back.get("name"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void specIsValidatedUpFront() {
        DpSgd d = (DpSgd) TrainingDefenses.parse("dp:sigma=1.1,clip=0.5,sampling=shuffled");
        assertEquals(new DpSgd(null, 1.1, 0.5, 1e-5, "shuffled"), d);
        assertEquals(d, TrainingDefenses.parse(d.spec()));
        String m = assertThrows(IllegalArgumentException.class, () -> TrainingDefenses.parse("dp:clip=1")).getMessage();
        assertTrue(m.contains("dp epsilon, sigma: give exactly one"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingDefenses.parse("dp:epsilon=4,sigma=1"))
                .getMessage();
        assertTrue(m.contains("give exactly one"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingDefenses.parse("dp:epsilon=4,noise=1"))
                .getMessage();
        assertTrue(m.contains("unknown parameter noise (dp takes epsilon, sigma, clip, delta, sampling)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingDefenses.parse("dp:epsilon=4,delta=1"))
                .getMessage();
        assertTrue(m.contains("dp delta: must be in (0, 1)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingDefenses.parse("dp:4")).getMessage();
        assertTrue(m.contains("expected key=value"), m);
    }
}
