package dev.mi4j.defenses.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.testing.SharedDatasets;
import dev.mi4j.core.testing.SyntheticImages;
import dev.mi4j.core.train.MinibatchStep;
import dev.mi4j.core.train.StepGradient;
import dev.mi4j.core.train.Trainer;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.core.train.TrainingResult;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Label smoothing and the L2 defense, on real AT&amp;T faces (5 identities, 28x23). */
class LabelSmoothingAndWeightDecayTest {

    private static LabeledImages att;

    @BeforeAll
    static void load() {
        att = SharedDatasets.attFaces(5, 1, 7, 28, 23);
    }

    private static float[] params(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    private static TrainingConfig softmax(int epochs) {
        return TrainingConfig.defaultsFor(Architecture.SOFTMAX).withEpochs(epochs);
    }

    @Test
    void registryParsesBothSpecForms() {
        assertEquals(new LabelSmoothing(-0.05), TrainingDefenses.parse("ls:-0.05"));
        assertEquals(new LabelSmoothing(0.1), TrainingDefenses.parse("LS:factor=0.1"));
        assertEquals(new WeightDecay(1e-3), TrainingDefenses.parse("l2:1e-3"));
        assertEquals("ls:factor=-0.05", new LabelSmoothing(-0.05).spec());
        assertEquals(new WeightDecay(0.5), TrainingDefenses.parse(new WeightDecay(0.5).spec()));
        String m = assertThrows(IllegalArgumentException.class, () -> TrainingDefenses.parse("ls:1")).getMessage();
        assertTrue(m.contains("ls factor: must be in [-1, 1), got 1.0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingDefenses.parse("l2:-1")).getMessage();
        assertTrue(m.contains("l2 coef: must be >= 0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingDefenses.parse("ls:0.1,alpha=2")).getMessage();
        assertTrue(m.contains("unknown parameter alpha (ls takes factor)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new LabelSmoothing(-2)).getMessage();
        assertTrue(m.startsWith("ls factor"), m);
        assertEquals(Map.of("name", "ls", "parameters", Map.of("factor", -0.05)),
                new LabelSmoothing(-0.05).newHook().report());
    }

    /** a = 0 must be no defense at all: the same float bits as training without a hook. */
    @Test
    void zeroSmoothingAndZeroPenaltyAreBitIdenticalToNoDefense() {
        float[] plain = params(Trainer.train(Architecture.SOFTMAX, att, softmax(20), true).net());
        assertArrayEquals(plain, params(new Trainer(new LabelSmoothing(0)::newHook)
                .run(Architecture.SOFTMAX, att, softmax(20), true).net()), "ls:0");
        assertArrayEquals(plain, params(new Trainer(new WeightDecay(0)::newHook)
                .run(Architecture.SOFTMAX, att, softmax(20), true).net()), "l2:0");
        LabeledImages blobs = SyntheticImages.blobs(3, 9, new ImageShape(1, 16, 12), 0.5, 3);
        TrainingConfig adam = new TrainingConfig(3, 5, 1e-2, 1e-4, 0.25, 10, 99);
        assertArrayEquals(params(Trainer.train(Architecture.MLP, blobs, adam, true).net()),
                params(new Trainer(new LabelSmoothing(0)::newHook).run(Architecture.MLP, blobs, adam, true).net()),
                "ls:0, mlp with adam");
        float[] smoothed = params(new Trainer(new LabelSmoothing(0.1)::newHook)
                .run(Architecture.SOFTMAX, att, softmax(20), true).net());
        assertFalse(Arrays.equals(plain, smoothed), "ls:0.1 changes the model");
    }

    /**
     * The loss the hook trains on is cross-entropy against y' = (1-a) y + a/K: for softmax
     * regression (no penalty) the summed gradient is X^T (P - Y') for the weights and sum(P - Y')
     * for the bias, and the score is -mean sum_k y'_k log p_k. Checked in double against the
     * network's float gradient (relative 1e-4: float32 sums of 28x23 pixels), for a &gt; 0 and a &lt; 0.
     */
    @Test
    void theLossTargetIsTheSmoothedLabel() {
        TrainingConfig cfg = new TrainingConfig(5, 8, 1e-2, 0, 0, 1, 7, TrainingConfig.Optimizer.NESTEROV);
        MultiLayerNetwork net = Trainer.train(Architecture.SOFTMAX, att, cfg, true).net(); // non-uniform p
        int[] rows = {0, 3, 8, 15, 22, 34};
        INDArray x = att.images().get(NDArrayIndex.indices(Arrays.stream(rows).asLongStream().toArray()),
                NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        INDArray y = att.oneHotLabels().getRows(rows).castTo(DataType.FLOAT);
        int k = att.numClasses();
        for (double a : new double[] {0.2, -0.05}) {
            LabelSmoothing ls = new LabelSmoothing(a);
            INDArray target = ls.smooth(y);
            for (int i = 0; i < rows.length; i++) {
                assertEquals(1.0, target.getRow(i).sumNumber().doubleValue(), 1e-6, "rows sum to 1");
                for (int c = 0; c < k; c++) {
                    double want = c == att.labels()[rows[i]] ? 1 - a + a / k : a / k;
                    assertEquals(want, target.getDouble(i, c), 1e-7);
                }
            }
            double[][] p = net.output(x, true).castTo(DataType.DOUBLE).toDoubleMatrix();
            StepGradient g = ls.newHook().step(new MinibatchStep(net, x, y, rows, 0, 1));
            assertEquals(rows.length, g.divisor());
            double[][] xs = x.reshape(rows.length, x.length() / rows.length).castTo(DataType.DOUBLE).toDoubleMatrix();
            INDArray gw = net.gradient().getGradientFor("0_W").castTo(DataType.DOUBLE);
            INDArray gb = net.gradient().getGradientFor("0_b").castTo(DataType.DOUBLE);
            double loss = 0;
            double maxW = 0;
            double maxErrW = 0;
            for (int c = 0; c < k; c++) {
                double wantB = 0;
                for (int i = 0; i < rows.length; i++) {
                    double yc = c == att.labels()[rows[i]] ? 1 - a + a / k : a / k;
                    wantB += p[i][c] - yc;
                    loss -= yc * Math.log(p[i][c]) / rows.length;
                }
                assertEquals(wantB, gb.getDouble(c), 1e-4 * Math.max(1, Math.abs(wantB)), "bias gradient, class " + c);
                for (int d = 0; d < xs[0].length; d += 37) {
                    double wantW = 0;
                    for (int i = 0; i < rows.length; i++) {
                        double yc = c == att.labels()[rows[i]] ? 1 - a + a / k : a / k;
                        wantW += xs[i][d] * (p[i][c] - yc);
                    }
                    maxW = Math.max(maxW, Math.abs(wantW));
                    maxErrW = Math.max(maxErrW, Math.abs(wantW - gw.getDouble(d, c)));
                }
            }
            assertTrue(maxErrW <= 1e-4 * maxW, "weight gradient off by " + maxErrW + " (max " + maxW + ")");
            assertEquals(loss, g.score(), 1e-4 * loss, "score is the cross-entropy against y'");
        }
    }

    /** Positive smoothing lowers the trained model's confidence on its training faces, negative raises it. */
    @Test
    void smoothingMovesConfidenceTheWayItsSignSays() {
        TrainingConfig cfg = softmax(40).withValidationFraction(0);
        double plain = meanTrueClassProbability(Trainer.train(Architecture.SOFTMAX, att, cfg, true));
        double positive = meanTrueClassProbability(new Trainer(new LabelSmoothing(0.5)::newHook)
                .run(Architecture.SOFTMAX, att, cfg, true));
        double negative = meanTrueClassProbability(new Trainer(new LabelSmoothing(-0.5)::newHook)
                .run(Architecture.SOFTMAX, att, cfg, true));
        assertTrue(positive < plain && plain < negative,
                "mean p(true class): ls:0.5 " + positive + ", none " + plain + ", ls:-0.5 " + negative);
    }

    private static double meanTrueClassProbability(TrainingResult r) {
        INDArray p = r.net().output(att.images(), false);
        double s = 0;
        for (int i = 0; i < att.size(); i++) {
            s += p.getDouble(i, att.labels()[i]);
        }
        return s / att.size();
    }

    /**
     * l2:c on a config without L2 trains the model that the config's own l2 = c trains (the same
     * penalty, applied in the hook instead of DL4J's updater): equal up to float rounding of the
     * different order of operations (c*b*W added to the sum before the division, rather than c*W
     * after it). Measured difference is printed; bound 1e-5 relative to the largest parameter.
     */
    @Test
    void l2DefenseIsTheConfigsL2() {
        double c = 5e-2;
        TrainingConfig none = new TrainingConfig(10, 8, 1e-2, 0, 0.15, 25, 11, TrainingConfig.Optimizer.NESTEROV);
        TrainingConfig withL2 = new TrainingConfig(10, 8, 1e-2, c, 0.15, 25, 11, TrainingConfig.Optimizer.NESTEROV);
        float[] viaConfig = params(Trainer.train(Architecture.SOFTMAX, att, withL2, true).net());
        float[] viaDefense = params(new Trainer(new WeightDecay(c)::newHook)
                .run(Architecture.SOFTMAX, att, none, true).net());
        float[] unpenalised = params(Trainer.train(Architecture.SOFTMAX, att, none, true).net());
        double max = 0;
        double diff = 0;
        double effect = 0;
        for (int i = 0; i < viaConfig.length; i++) {
            max = Math.max(max, Math.abs(viaConfig[i]));
            diff = Math.max(diff, Math.abs(viaConfig[i] - viaDefense[i]));
            effect = Math.max(effect, Math.abs(viaConfig[i] - unpenalised[i]));
        }
        System.out.printf("l2 defense vs config l2: max |diff| %.3g, max |param| %.3g, effect of l2 %.3g%n", diff, max,
                effect);
        assertTrue(diff <= 1e-5 * max, "diff " + diff + " vs max " + max);
        assertTrue(effect > 100 * diff, "the penalty has a visible effect: " + effect);
    }
}
