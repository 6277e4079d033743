package dev.mi4j.attacks.miface;

import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.attacks.StopReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.Objective;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.opentest4j.AssertionFailedError;

/**
 * The optimised MI-Face loop (in-place update, reused buffers, row-aligned best iterates, batched
 * targets) against a literal, one-target-at-a-time reading of Algorithm 1 kept here in the test
 * source, on real DL4J networks (softmax regression, MLP, CNN) at a small input size.
 *
 * <h2>Why the tolerances are what they are (and hold on any x86-64 CPU)</h2>
 * The batched attack sends all targets to the model in one call, the reference one at a time.
 * BLAS and oneDNN pick other kernels for other batch sizes and for other instruction sets
 * (AVX2 vs AVX-512), so the two gradients differ by float rounding: a dot product of K terms
 * carries an error up to K * u * sum|terms| (u = 2^-24 in FLOAT). Over many steps MI-Face
 * amplifies such a difference by the Lipschitz constant of its step map: in FLOAT on the CNN,
 * 40 steps of lambda 0.5 turned a 1e-7 difference into 4e-4 of the cost on an AVX2 CPU, which a
 * float trajectory comparison cannot tell from a bug. So:
 * <ul>
 *   <li><b>Whole trajectories are compared in DOUBLE</b> (u = 1.1e-16): the same amplification
 *       (measured below 1e4 over these runs) leaves differences near 1e-12, and the comparison
 *       asserts 1e-9 on costs and pixels, and exact equality of iterations, best iteration and
 *       stop reason. A real bug (see {@link #theComparisonCatchesWrongSteps()}) moves them by 1e-3
 *       or more.</li>
 *   <li><b>One step is compared in FLOAT</b> from the same start image, so nothing is amplified:
 *       the step x_1 = clamp(x_0 - lambda g) may differ by lambda * |delta g|, and |delta g| is
 *       bounded by the dot-product bound above with K the largest fan-in of the network, applied
 *       to the largest gradient entry: tolerance lambda * K * 2^-24 * max|g| * 4 (the factor 4
 *       for the chain of layers each adding such an error).</li>
 * </ul>
 * {@link #theComparisonCatchesWrongSteps()} shows the comparison fails for deliberately wrong
 * references (sign flip, no clamp, last instead of best iterate, window rule off by one step).
 */
class MiFaceReferenceEquivalenceTest {

    private static final ImageShape SHAPE = new ImageShape(1, 24, 20);
    private static final int CLASSES = 10;
    private static final int[] TARGETS = {3, 0, 7, 1, 9, 4, 2, 8, 6, 5};
    /** Trajectories in DOUBLE: see the class documentation. */
    private static final double DOUBLE_TOLERANCE = 1e-9;

    /** Deliberate bugs the reference can carry, to show the comparison catches them. */
    enum Mutation { NONE, SIGN_FLIP, NO_CLAMP, LAST_ITERATE, WINDOW_OFF_BY_ONE }

    /** What the reference loop returns for one target. */
    private record Ref(INDArray image, double bestCost, int bestIteration, int iterations, StopReason stopReason) {
    }

    /** Algorithm 1 for one target, literally: no buffers reused, a fresh array per operation. */
    private static Ref reference(DifferentiableClassifier model, MiFaceParams p, AuxTerm aux, int label,
                                 DataType type, Mutation bug) {
        INDArray x = switch (p.init()) {
            case ZEROS -> Nd4j.zeros(type, SHAPE.batchShape(1));
            case UNIFORM -> {
                // Same per-(seed, label) noise as MiFace's UNIFORM init.
                SplittableRandom rng = new SplittableRandom(p.seed() ^ (0x9E3779B97F4A7C15L * (label + 1L)));
                double[] d = new double[SHAPE.size()];
                for (int j = 0; j < d.length; j++) {
                    d[j] = rng.nextDouble();
                }
                yield Nd4j.createFromArray(d).reshape(SHAPE.batchShape(1)).castTo(type);
            }
            default -> throw new IllegalArgumentException("init " + p.init());
        };
        List<Double> costs = new ArrayList<>();
        INDArray best = x.dup();
        double bestCost = Double.POSITIVE_INFINITY;
        int bestIteration = -1;
        int window = bug == Mutation.WINDOW_OFF_BY_ONE ? p.beta() + 1 : p.beta();
        for (int i = 0; ; i++) {
            if (i > 0) {
                INDArray grad = cost(model, p, aux, x, label).gradient;
                INDArray stepped = bug == Mutation.SIGN_FLIP ? x.add(grad.mul(p.lambda())) : x.sub(grad.mul(p.lambda()));
                x = bug == Mutation.NO_CLAMP ? stepped : Transforms.min(Transforms.max(stepped, 0.0), 1.0);
            }
            Eval e = cost(model, p, aux, x, label);
            costs.add(e.cost);
            if (e.cost < bestCost || bug == Mutation.LAST_ITERATE) {
                bestCost = e.cost;
                bestIteration = i;
                best = x.dup();
            }
            if (i >= 1 && e.pLabel >= p.gamma()) {
                return new Ref(best, bestCost, bestIteration, i, StopReason.CONFIDENT);
            }
            if (i >= window) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = i - window; j < i; j++) {
                    max = Math.max(max, costs.get(j));
                }
                if (e.cost >= max) {
                    return new Ref(best, bestCost, bestIteration, i, StopReason.NO_PROGRESS);
                }
            }
            if (i >= p.alpha()) {
                return new Ref(best, bestCost, bestIteration, i, StopReason.MAX_ITERATIONS);
            }
        }
    }

    private record Eval(double cost, double pLabel, INDArray gradient) {
    }

    private static Eval cost(DifferentiableClassifier model, MiFaceParams p, AuxTerm aux, INDArray x, int label) {
        InputGradient g = model.inputGradient(x, new int[] {label}, p.objective());
        double c = g.cost().getDouble(0) + aux.cost(x).getDouble(0);
        return new Eval(c, g.probabilities().getDouble(0, label), g.gradient().add(aux.gradient(x).castTo(x.dataType())));
    }

    private static NetworkClassifier network(Architecture arch, long seed, DataType type) {
        MultiLayerNetwork net = arch.build(SHAPE, CLASSES, seed, new Adam(1e-3), 0, type);
        // Softmax regression starts from zero weights (no gradient w.r.t. the input): seeded random ones.
        Nd4j.getRandom().setSeed(seed);
        net.setParams(Nd4j.randn(type, 1, net.numParams()).muli(arch == Architecture.SOFTMAX ? 0.05 : 0.1));
        return new NetworkClassifier(net, SHAPE);
    }

    /** The batched attack against the one-at-a-time reference, whole trajectories, in DOUBLE. */
    private static Map<StopReason, Integer> assertSameAsReference(NetworkClassifier model, MiFaceParams p, AuxTerm aux,
                                                                Mutation bug) {
        InversionResult res = new MiFace(model, p).auxTerm(aux).dataType(DataType.DOUBLE).invert(TARGETS);
        Map<StopReason, Integer> reasons = new EnumMap<>(StopReason.class);
        double maxDiff = 0;
        double maxCostDiff = 0;
        for (int t = 0; t < TARGETS.length; t++) {
            Reconstruction r = res.reconstructions().get(t);
            Ref ref = reference(model, p, aux, TARGETS[t], DataType.DOUBLE, bug);
            String what = p.objective() + "/" + p.init() + "/" + aux.name() + " label " + TARGETS[t];
            assertEquals(ref.stopReason(), r.stopReason(), what);
            assertEquals(ref.iterations(), r.iterations(), what);
            assertEquals(ref.bestIteration(), r.bestIteration(), what);
            assertEquals(ref.bestCost(), r.bestCost(), DOUBLE_TOLERANCE * Math.max(1, Math.abs(ref.bestCost())), what);
            double diff = Transforms.abs(r.image().sub(ref.image().reshape(r.image().shape()))).maxNumber().doubleValue();
            assertTrue(diff <= DOUBLE_TOLERANCE, what + ": max pixel difference " + diff);
            maxDiff = Math.max(maxDiff, diff);
            maxCostDiff = Math.max(maxCostDiff, Math.abs(ref.bestCost() - r.bestCost()));
            reasons.merge(r.stopReason(), 1, Integer::sum);
        }
        System.err.printf("reference equivalence (DOUBLE) %s: max pixel diff %.3g, max cost diff %.3g, stop reasons %s%n",
                p.objective() + "/" + p.init() + "/" + aux.name(), maxDiff, maxCostDiff, reasons);
        return reasons;
    }

    /**
     * One FLOAT step of the batched attack from the reference's start image against one reference
     * step, per target; tolerance from the float error of the gradient (class documentation).
     */
    private static void assertOneFloatStepAsReference(NetworkClassifier model, MiFaceParams p, int fanIn) {
        MiFaceParams one = p.withAlpha(1).withBeta(1000).withGamma(1.0).withSnapshotEvery(1);
        InversionResult res = new MiFace(model, one).invert(TARGETS);
        double worst = 0;
        for (int t = 0; t < TARGETS.length; t++) {
            Reconstruction r = res.reconstructions().get(t);
            assertEquals(2, r.snapshots().size(), "x_0 and x_1 kept");
            INDArray x0 = r.snapshots().get(0).reshape(SHAPE.batchShape(1));
            INDArray g = cost(model, one, AuxTerm.none(), x0, TARGETS[t]).gradient;
            INDArray x1 = Transforms.min(Transforms.max(x0.sub(g.mul(one.lambda())), 0.0), 1.0);
            double maxGrad = Transforms.abs(g).maxNumber().doubleValue();
            // Gradient error through lambda, plus the rounding of x - lambda g itself (pixels <= 1:
            // one float ulp of 1 covers it).
            double tol = one.lambda() * fanIn * Math.ulp(1.0f) / 2 * maxGrad * 4 + Math.ulp(1.0f);
            double diff = Transforms.abs(r.snapshots().get(1).reshape(x1.shape()).sub(x1)).maxNumber().doubleValue();
            assertTrue(diff <= tol, "label " + TARGETS[t] + ": one FLOAT step differs by " + diff + " > " + tol);
            // The step moved the image: the comparison is not between two unchanged start images.
            assertTrue(Transforms.abs(x1.sub(x0)).maxNumber().doubleValue() > 100 * tol, "label " + TARGETS[t] + " did not move");
            worst = Math.max(worst, diff / tol);
        }
        System.err.printf("one FLOAT step: worst difference %.3g of the float tolerance%n", worst);
    }

    private static final MiFaceParams SOFTMAX_PARAMS =
            MiFaceParams.paperDefaults().withAlpha(150).withBeta(15).withLambda(1).withGamma(0.6);
    /**
     * With an L2 aux term of weight w and 2 lambda w &gt; 1 every step overshoots the aux term's
     * minimum (pixels fall to the clamp at 0, the objective's gradient lifts them again): the cost
     * alternates, the window rule fires and the best iterate is not the last one (the runs above
     * only ever improve, so they cannot tell the best iterate from the last).
     */
    private static final MiFaceParams SOFTMAX_OVERSHOOT = MiFaceParams.paperDefaults().withAlpha(100).withBeta(3)
            .withLambda(20).withGamma(0.9999).withInit(Init.UNIFORM).withSeed(9);
    private static final AuxTerm OVERSHOOT_AUX = AuxTerm.l2(0.1);

    @Test
    void softmaxRegressionMatchesTheReference() {
        NetworkClassifier model = network(Architecture.SOFTMAX, 7, DataType.DOUBLE);
        // Mixed stop reasons: some targets reach the confidence, others run out of steps.
        assertSameAsReference(model, SOFTMAX_PARAMS, AuxTerm.none(), Mutation.NONE);
        // lambda > 1 takes the checked update path; an aux term changes cost and gradient.
        assertSameAsReference(model, MiFaceParams.paperDefaults().withAlpha(60).withBeta(5).withLambda(20)
                .withObjective(Objective.NEG_LOG_P).withInit(Init.UNIFORM).withSeed(3).withGamma(0.999), AuxTerm.l2(0.001),
                Mutation.NONE);
        Map<StopReason, Integer> reasons = assertSameAsReference(model, SOFTMAX_OVERSHOOT, OVERSHOOT_AUX, Mutation.NONE);
        assertTrue(reasons.containsKey(StopReason.NO_PROGRESS), "the overshooting run exercises the window rule: " + reasons);
        assertOneFloatStepAsReference(network(Architecture.SOFTMAX, 7, DataType.FLOAT),
                SOFTMAX_PARAMS.withInit(Init.UNIFORM).withSeed(2), SHAPE.size());
    }

    @Test
    void mlpMatchesTheReference() {
        MiFaceParams p = MiFaceParams.paperDefaults().withAlpha(80).withBeta(10).withLambda(0.5);
        assertSameAsReference(network(Architecture.MLP, 11, DataType.DOUBLE), p, AuxTerm.none(), Mutation.NONE);
        // The sigmoid MLP's input gradients are small at random weights: a larger step makes x_1
        // differ visibly from x_0, so that the comparison is not between two unchanged images.
        assertOneFloatStepAsReference(network(Architecture.MLP, 11, DataType.FLOAT),
                p.withInit(Init.UNIFORM).withSeed(4).withLambda(200), SHAPE.size());
    }

    private static final MiFaceParams CNN_PARAMS = MiFaceParams.paperDefaults().withAlpha(40).withBeta(4).withLambda(0.5)
            .withGamma(0.5).withObjective(Objective.NEG_LOG_P).withInit(Init.UNIFORM).withSeed(5);

    @Test
    void cnnMatchesTheReference() {
        assertSameAsReference(network(Architecture.CNN, 13, DataType.DOUBLE), CNN_PARAMS, AuxTerm.none(), Mutation.NONE);
        // Largest fan-in: the dense layer after the convolutions (64 channels x 3 x 2 here) or a
        // 3x3x64 convolution; the input size bounds both.
        assertOneFloatStepAsReference(network(Architecture.CNN, 13, DataType.FLOAT), CNN_PARAMS, SHAPE.size());
    }

    /**
     * The mutation check: the same comparison against references with a deliberate bug must fail.
     * If it passed, the comparison could not tell such a bug in MiFace from a correct loop.
     */
    @Test
    void theComparisonCatchesWrongSteps() {
        NetworkClassifier softmax = network(Architecture.SOFTMAX, 7, DataType.DOUBLE);
        NetworkClassifier cnn = network(Architecture.CNN, 13, DataType.DOUBLE);
        // Every bug must be caught by the softmax runs (the overshooting one is where the window
        // rule and the best-vs-last iterate matter); sign and clamp bugs by the CNN run too.
        for (Mutation bug : new Mutation[] {Mutation.SIGN_FLIP, Mutation.NO_CLAMP, Mutation.LAST_ITERATE,
                Mutation.WINDOW_OFF_BY_ONE}) {
            assertThrows(AssertionFailedError.class, () -> {
                assertSameAsReference(softmax, SOFTMAX_PARAMS, AuxTerm.none(), bug);
                assertSameAsReference(softmax, SOFTMAX_OVERSHOOT, OVERSHOOT_AUX, bug);
            }, "softmax, " + bug);
        }
        for (Mutation bug : new Mutation[] {Mutation.SIGN_FLIP, Mutation.NO_CLAMP}) {
            assertThrows(AssertionFailedError.class,
                    () -> assertSameAsReference(cnn, CNN_PARAMS, AuxTerm.none(), bug), "cnn, " + bug);
        }
    }
}
