package dev.mi4j.defenses.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.testing.LinearSoftmaxModel;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OutputPolicyTest {

    /** Seeded softmax rows, [n, k]. */
    private static INDArray probabilities(int n, int k, long seed, DataType type) {
        Random random = new Random(seed);
        double[][] p = new double[n][k];
        for (double[] row : p) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                row[j] = Math.exp(3 * random.nextGaussian());
                sum += row[j];
            }
            for (int j = 0; j < k; j++) {
                row[j] /= sum;
            }
        }
        return Nd4j.create(p).castTo(type);
    }

    @Test
    void roundingGivesNearestMultiplesOfR() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            // FLOAT holds the float nearest to k * r: compare values, within float resolution.
            double tol = type == DataType.DOUBLE ? 1e-12 : 1e-7;
            INDArray p = probabilities(6, 7, 1L, type);
            INDArray before = p.dup();
            for (double r : new double[] {0.001, 0.005, 0.01, 0.05, 0.1, 0.3}) {
                INDArray out = new Rounding(r).apply(p);
                assertEquals(type, out.dataType());
                double[][] in = p.toDoubleMatrix();
                double[][] o = out.toDoubleMatrix();
                for (int i = 0; i < o.length; i++) {
                    for (int j = 0; j < o[i].length; j++) {
                        assertEquals(Math.rint(o[i][j] / r) * r, o[i][j], tol, "r=" + r + " value " + o[i][j]);
                        assertTrue(Math.abs(o[i][j] - in[i][j]) <= r / 2 + tol, "nearest multiple, r=" + r);
                    }
                }
            }
            assertTrue(before.equalsWithEps(p, 0), "input untouched");
        }
        INDArray half = Nd4j.createFromArray(new double[][] {{0.05, 0.95}});
        assertEquals(0.1, new Rounding(0.1).apply(half).getDouble(0, 0), 1e-12, "halves round up");
    }

    @Test
    void topKKeepsTheLargestScoresUnchanged() {
        INDArray p = probabilities(5, 6, 2L, DataType.DOUBLE);
        double[][] in = p.toDoubleMatrix();
        double[][] out = new TopK(2).apply(p).toDoubleMatrix();
        for (int i = 0; i < in.length; i++) {
            double[] sorted = in[i].clone();
            java.util.Arrays.sort(sorted);
            int kept = 0;
            for (int j = 0; j < in[i].length; j++) {
                if (out[i][j] != 0) {
                    kept++;
                    assertEquals(in[i][j], out[i][j], 0);
                    assertTrue(in[i][j] >= sorted[sorted.length - 2]);
                }
            }
            assertEquals(2, kept);
        }
        assertTrue(new TopK(6).apply(p).equalsWithEps(p, 0));
        assertTrue(new TopK(60).apply(p).equalsWithEps(p, 0));
    }

    @Test
    void labelOnlyIsTheOneHotArgmax() {
        INDArray p = probabilities(5, 6, 3L, DataType.FLOAT);
        INDArray out = LabelOnly.INSTANCE.apply(p);
        INDArray argmax = p.argMax(1);
        for (int i = 0; i < 5; i++) {
            assertEquals(1.0, out.getRow(i).sumNumber().doubleValue(), 0);
            assertEquals(1.0, out.getDouble(i, argmax.getLong(i)), 0);
        }
        assertEquals(DataType.FLOAT, out.dataType());
    }

    @Test
    void noiseIsDeterministicAndStaysAProbability() {
        INDArray p = probabilities(8, 5, 4L, DataType.FLOAT);
        GaussianNoise a = new GaussianNoise(0.05, 9L);
        GaussianNoise b = new GaussianNoise(0.05, 9L);
        INDArray a1 = a.apply(p);
        INDArray a2 = a.apply(p);
        assertTrue(a1.equalsWithEps(b.apply(p), 0), "same seed, same first call");
        assertTrue(a2.equalsWithEps(b.apply(p), 0), "same seed, same second call");
        assertFalse(a1.equalsWithEps(a2, 1e-9), "the stream advances between calls");
        assertFalse(a1.equalsWithEps(new GaussianNoise(0.05, 10L).apply(p), 1e-9), "another seed differs");
        assertFalse(a1.equalsWithEps(p, 1e-6), "noise was added");
        for (INDArray out : new INDArray[] {a1, a2, new GaussianNoise(5.0, 1L).apply(p)}) {
            double[][] rows = out.toDoubleMatrix();
            for (double[] row : rows) {
                double sum = 0;
                for (double v : row) {
                    assertTrue(v >= 0 && v <= 1, "value " + v);
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
        assertTrue(new GaussianNoise(0, 1L).apply(p).equalsWithEps(p, 1e-6), "sigma 0 changes nothing");
    }

    @Test
    void parseReadsConfigStringsAndRoundTrips() {
        assertSame(OutputPolicies.identity(), OutputPolicies.parse("identity"));
        assertSame(OutputPolicies.identity(), OutputPolicies.parse(" None "));
        assertEquals(0.01, ((Rounding) OutputPolicies.parse("round:0.01")).r());
        assertEquals(1, ((TopK) OutputPolicies.parse("topk:1")).k());
        assertSame(LabelOnly.INSTANCE, OutputPolicies.parse("label"));
        GaussianNoise noise = (GaussianNoise) OutputPolicies.parse("noise:0.05");
        assertEquals(0.05, noise.sigma());
        assertEquals(OutputPolicies.DEFAULT_NOISE_SEED, noise.seed());
        assertEquals(42L, ((GaussianNoise) OutputPolicies.parse("NOISE:0.1:42")).seed());
        for (String spec : new String[] {"identity", "round:0.005", "topk:3", "label", "noise:0.05:7"}) {
            OutputPolicy policy = OutputPolicies.parse(spec);
            OutputPolicy again = OutputPolicies.parse(policy.spec());
            assertEquals(policy.spec(), again.spec());
            assertEquals(policy.params(), again.params());
        }
        assertEquals(Map.of("r", 0.01), OutputPolicies.parse("round:0.01").params());
        assertEquals("round", OutputPolicies.parse("round:0.01").name());

        for (String bad : new String[] {"", "blur", "round", "round:x", "round:0", "round:2", "topk:0",
                "topk:1.5", "label:1", "noise:-1", "noise:0.1:1:2", "identity:3", "noise:0.1:abc"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OutputPolicies.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("policy"), bad + " -> " + e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OutputPolicies.parse("round:2"))
                .getMessage().contains("r must be"));
    }

    @Test
    void parameterValidationNamesTheParameter() {
        assertMessage("round: r must be", () -> new Rounding(0));
        assertMessage("round: r must be", () -> new Rounding(1.5));
        assertMessage("round: r must be", () -> new Rounding(Double.NaN));
        assertMessage("topk: k must be", () -> new TopK(0));
        assertMessage("noise: sigma must be", () -> new GaussianNoise(-0.1, 1L));
        assertMessage("noise: sigma must be", () -> new GaussianNoise(Double.POSITIVE_INFINITY, 1L));
        new Rounding(1.0);
    }

    private static void assertMessage(String prefix, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().startsWith(prefix), x.getMessage());
    }

    @Test
    void policyClassifierShowsThePolicyOutputAndDelegatesCounting() {
        ImageShape shape = new ImageShape(1, 8, 6);
        LinearSoftmaxModel model = new LinearSoftmaxModel(shape, 5, 0.3, 1L);
        PolicyClassifier api = new PolicyClassifier(model, new Rounding(0.05));
        INDArray x = LinearSoftmaxModel.images(shape, 4, 2L, DataType.FLOAT);
        INDArray seen = api.predict(x);
        assertTrue(seen.equalsWithEps(new Rounding(0.05).apply(model.predict(x)), 0));
        assertEquals(8, api.queryCount());
        api.resetQueryCount();
        assertEquals(0, model.queryCount());
        assertEquals(5, api.numClasses());
        assertEquals(shape, api.inputShape());
    }

    @Test
    void whiteBoxUnderAPolicyKeepsTheModelGradientButReportsWhatIsReleased() {
        ImageShape shape = new ImageShape(1, 8, 6);
        LinearSoftmaxModel model = new LinearSoftmaxModel(shape, 5, 0.3, 1L);
        INDArray x = LinearSoftmaxModel.images(shape, 3, 2L, DataType.DOUBLE);
        int[] targets = {0, 1, 2};
        InputGradient exact = model.inputGradient(x, targets, Objective.NEG_LOG_P);

        PolicyDifferentiableClassifier rounded = new PolicyDifferentiableClassifier(model, new Rounding(0.1));
        InputGradient seen = rounded.inputGradient(x, targets, Objective.NEG_LOG_P);
        assertTrue(seen.gradient().equalsWithEps(exact.gradient(), 0), "gradient of the unrounded model");
        INDArray released = new Rounding(0.1).apply(exact.probabilities());
        assertTrue(seen.probabilities().equalsWithEps(released, 0));
        for (int i = 0; i < 3; i++) {
            double p = released.getDouble(i, targets[i]);
            assertEquals(-Math.log(Math.max(p, ObservedObjective.PROBABILITY_FLOOR)), seen.cost().getDouble(i), 1e-12);
        }

        InputGradient plain = new PolicyDifferentiableClassifier(model, OutputPolicies.identity())
                .inputGradient(x, targets, Objective.NEG_LOGIT);
        assertTrue(plain.cost().equalsWithEps(model.inputGradient(x, targets, Objective.NEG_LOGIT).cost(), 0),
                "identity passes the true logit cost through");
        assertEquals(4 * 3, rounded.queryCount(), "four gradient calls of 3 images, all on the model");
        assertEquals(48, rounded.features(x).size(1));
    }

    @Test
    void observedObjectiveUsesLogProbabilitiesForLogits() {
        double[] p = {0.7, 0.2, 0.1};
        assertEquals(0.3, ObservedObjective.cost(p, 0, Objective.ONE_MINUS_P), 1e-15);
        assertEquals(-Math.log(0.7), ObservedObjective.cost(p, 0, Objective.NEG_LOG_P), 1e-15);
        assertEquals(-Math.log(0.7), ObservedObjective.cost(p, 0, Objective.NEG_LOGIT), 1e-15);
        assertEquals(Math.log(0.7) - Math.log(0.2), ObservedObjective.cost(p, 1, Objective.MARGIN), 1e-15);
        double zero = ObservedObjective.cost(new double[] {1, 0}, 1, Objective.NEG_LOG_P);
        assertTrue(Double.isFinite(zero) && zero > 60, "floored: " + zero);
        INDArray costs = ObservedObjective.costs(Nd4j.createFromArray(new float[][] {{0.5f, 0.5f}, {0.25f, 0.75f}}),
                new int[] {0, 1}, Objective.ONE_MINUS_P);
        assertInstanceOf(INDArray.class, costs);
        assertEquals(DataType.FLOAT, costs.dataType());
        assertEquals(0.25, costs.getDouble(1), 1e-7);
    }
}
