package dev.mi4j.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The optimised MI-Face loop (in-place update, reused buffers, row-aligned best iterates, batched
 * targets) against a literal, one-target-at-a-time reading of Algorithm 1 kept here in the test
 * source, on real DL4J networks (softmax regression, MLP, CNN) at a small input size: the same
 * reconstructions up to floating-point noise, the same iterations and stop reasons.
 */
class MiFaceReferenceEquivalenceTest {

    private static final ImageShape SHAPE = new ImageShape(1, 24, 20);
    private static final int CLASSES = 10;
    private static final int[] TARGETS = {3, 0, 7, 1, 9, 4, 2, 8, 6, 5};

    /** What the reference loop returns for one target. */
    private record Ref(INDArray image, double bestCost, int bestIteration, int iterations, StopReason stopReason) {
    }

    /** Algorithm 1 for one target, literally: no buffers reused, a fresh array per operation. */
    private static Ref reference(DifferentiableClassifier model, MiFaceParams p, AuxTerm aux, int label) {
        INDArray x = switch (p.init()) {
            case ZEROS -> Nd4j.zeros(DataType.FLOAT, SHAPE.batchShape(1));
            case UNIFORM -> {
                // Same per-(seed, label) noise as MiFace's UNIFORM init.
                SplittableRandom rng = new SplittableRandom(p.seed() ^ (0x9E3779B97F4A7C15L * (label + 1L)));
                double[] d = new double[SHAPE.size()];
                for (int j = 0; j < d.length; j++) {
                    d[j] = rng.nextDouble();
                }
                yield Nd4j.createFromArray(d).reshape(SHAPE.batchShape(1)).castTo(DataType.FLOAT);
            }
            default -> throw new IllegalArgumentException("init " + p.init());
        };
        List<Double> costs = new ArrayList<>();
        INDArray best = x.dup();
        double bestCost = Double.POSITIVE_INFINITY;
        int bestIteration = -1;
        for (int i = 0; ; i++) {
            if (i > 0) {
                INDArray grad = cost(model, p, aux, x, label).gradient;
                x = Transforms.min(Transforms.max(x.sub(grad.mul(p.lambda())), 0.0), 1.0);
            }
            Eval e = cost(model, p, aux, x, label);
            costs.add(e.cost);
            if (e.cost < bestCost) {
                bestCost = e.cost;
                bestIteration = i;
                best = x.dup();
            }
            if (i >= 1 && e.pLabel >= p.gamma()) {
                return new Ref(best, bestCost, bestIteration, i, StopReason.CONFIDENT);
            }
            if (i >= p.beta()) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = i - p.beta(); j < i; j++) {
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
        return new Eval(c, g.probabilities().getDouble(0, label), g.gradient().add(aux.gradient(x)));
    }

    private static NetworkClassifier network(Architecture arch, long seed) {
        MultiLayerNetwork net = arch.build(SHAPE, CLASSES, seed);
        // Softmax regression starts from zero weights (no gradient w.r.t. the input): seeded random ones.
        Nd4j.getRandom().setSeed(seed);
        net.setParams(Nd4j.randn(DataType.FLOAT, 1, net.numParams()).muli(arch == Architecture.SOFTMAX ? 0.05 : 0.1));
        return new NetworkClassifier(net, SHAPE);
    }

    private static void assertSameAsReference(NetworkClassifier model, MiFaceParams p, AuxTerm aux) {
        InversionResult res = new MiFace(model, p).auxTerm(aux).invert(TARGETS);
        Map<StopReason, Integer> reasons = new EnumMap<>(StopReason.class);
        double maxDiff = 0;
        for (int t = 0; t < TARGETS.length; t++) {
            Reconstruction r = res.reconstructions().get(t);
            Ref ref = reference(model, p, aux, TARGETS[t]);
            String what = p.objective() + "/" + p.init() + "/" + aux.name() + " label " + TARGETS[t];
            assertEquals(ref.stopReason(), r.stopReason(), what);
            assertEquals(ref.iterations(), r.iterations(), what);
            assertEquals(ref.bestIteration(), r.bestIteration(), what);
            assertEquals(ref.bestCost(), r.bestCost(), 1e-5, what);
            double diff = Transforms.abs(r.image().sub(ref.image().reshape(r.image().shape()))).maxNumber().doubleValue();
            assertTrue(diff <= 1e-5, what + ": max pixel difference " + diff);
            maxDiff = Math.max(maxDiff, diff);
            reasons.merge(r.stopReason(), 1, Integer::sum);
        }
        System.err.printf("reference equivalence %s: max pixel diff %.3g, stop reasons %s%n",
                p.objective() + "/" + p.init() + "/" + aux.name(), maxDiff, reasons);
    }

    @Test
    void softmaxRegressionMatchesTheReference() {
        NetworkClassifier model = network(Architecture.SOFTMAX, 7);
        // Mixed stop reasons: some targets reach the confidence, others run out of steps.
        assertSameAsReference(model, MiFaceParams.paperDefaults().withAlpha(150).withBeta(15).withLambda(1).withGamma(0.6), AuxTerm.none());
        // lambda > 1 takes the checked update path; an aux term changes cost and gradient.
        assertSameAsReference(model, MiFaceParams.paperDefaults().withAlpha(60).withBeta(5).withLambda(20)
                .withObjective(Objective.NEG_LOG_P).withInit(Init.UNIFORM).withSeed(3).withGamma(0.999), AuxTerm.l2(0.001));
    }

    @Test
    void mlpMatchesTheReference() {
        assertSameAsReference(network(Architecture.MLP, 11),
                MiFaceParams.paperDefaults().withAlpha(80).withBeta(10).withLambda(0.5), AuxTerm.none());
    }

    @Test
    void cnnMatchesTheReference() {
        assertSameAsReference(network(Architecture.CNN, 13),
                MiFaceParams.paperDefaults().withAlpha(40).withBeta(4).withLambda(0.5).withGamma(0.5)
                        .withObjective(Objective.NEG_LOG_P).withInit(Init.UNIFORM).withSeed(5), AuxTerm.none());
    }
}
