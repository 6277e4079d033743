package dev.mi4j.attacks.miface;

import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.StopReason;
import dev.mi4j.attacks.miface.process.ProcessStep;
import dev.mi4j.attacks.Reconstruction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Objective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pins each stopping rule of Algorithm 1 with a classifier whose costs follow a script. The
 * scripted gradient is -1 everywhere and lambda 0.01, so the pixels of x_i are all 0.01 * i: an
 * image tells which iterate it is.
 */
class MiFaceStoppingRulesTest {

    private static final ImageShape SHAPE = new ImageShape(1, 4, 3);
    private static final double LAMBDA = 0.01;

    private static MiFaceParams params(int alpha, int beta) {
        return MiFaceParams.paperDefaults().withAlpha(alpha).withBeta(beta).withLambda(LAMBDA)
                .withRecordTrajectory(true);
    }

    private static double pixel(Reconstruction r) {
        return r.image().getDouble(0, 0, 0);
    }

    private static void assertIterate(int i, Reconstruction r) {
        assertEquals(LAMBDA * i, pixel(r), 1e-6, "image is x_" + i);
        assertEquals(LAMBDA * i, r.image().minNumber().doubleValue(), 1e-6);
        assertEquals(LAMBDA * i, r.image().maxNumber().doubleValue(), 1e-6);
    }

    @Test
    void windowRuleFiresOnceCostReachesTheMaxOfThePreviousBeta() {
        // beta 3: at i=3 the window {0.7, 0.5, 0.9} has max 0.9 > 0.8: go on; at i=4 the window
        // {0.8, 0.7, 0.5} has max 0.8 <= 0.95: stop.
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.9, 0.5, 0.7, 0.8, 0.95, 0.1);
        Reconstruction r = new MiFace(model, params(50, 3)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.NO_PROGRESS, r.stopReason());
        assertEquals(4, r.iterations());
        assertEquals(5, r.queries());
        assertEquals(5, r.costTrajectory().length);
    }

    @Test
    void windowRuleFiresOnEquality() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.5, 0.25, 0.5, 0.125);
        Reconstruction r = new MiFace(model, params(50, 2)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.NO_PROGRESS, r.stopReason());
        assertEquals(2, r.iterations(), "0.5 >= max(0.25, 0.5)");
    }

    @Test
    void windowRuleIsNotCheckedBeforeAFullWindowExists() {
        // Costs rise at i=1 and i=2 but only 1 and 2 previous costs exist; at i=3 the window is
        // full {0.95, 0.9, 0.5} and 0.96 >= 0.95.
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.5, 0.9, 0.95, 0.96);
        Reconstruction r = new MiFace(model, params(50, 3)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.NO_PROGRESS, r.stopReason());
        assertEquals(3, r.iterations());
    }

    @Test
    void windowRuleDoesNotFireWhileCostStaysBelowTheWindowMax() {
        // Every cost is below the max of its window although none is a new minimum: the paper's
        // rule goes on (a reversed rule, as in ART, would stop at once).
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3)
                .costs(0, 0.5, 0.9, 0.95, 0.94, 0.93, 0.92, 0.91, 0.905, 0.9025, 0.901, 0.9005);
        Reconstruction r = new MiFace(model, params(10, 3)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.MAX_ITERATIONS, r.stopReason());
        assertEquals(10, r.iterations());
        assertEquals(11, r.queries());
    }

    @Test
    void bestIterateIsReturnedNotTheLast() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.9, 0.5, 0.7, 0.8, 0.95);
        Reconstruction r = new MiFace(model, params(50, 3)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(4, r.iterations());
        assertEquals(1, r.bestIteration());
        assertEquals(0.5, r.bestCost(), 1e-6);
        assertEquals(0.5, r.bestPLabel(), 1e-6);
        assertIterate(1, r);
        assertArrayEquals(new double[] {0.9, 0.5, 0.7, 0.8, 0.95}, r.costTrajectory(), 1e-6);
    }

    @Test
    void startImageIsACandidateForTheBest() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.25, 0.5, 0.75, 1.0);
        Reconstruction r = new MiFace(model, params(50, 1)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.NO_PROGRESS, r.stopReason());
        assertEquals(1, r.iterations());
        assertEquals(0, r.bestIteration());
        assertIterate(0, r);
    }

    @Test
    void gammaAsConfidenceStopsWhenPLabelReachesGamma() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.975, 0.5, 0.2, 0.05, 0.01);
        Reconstruction r = new MiFace(model, params(50, 100).withGamma(0.9)).invert(new int[] {0})
                .reconstructions().get(0);
        assertEquals(StopReason.CONFIDENT, r.stopReason());
        assertEquals(3, r.iterations(), "p = 0.95 >= 0.9 at i = 3");
        assertIterate(3, r);
        assertEquals(0.95, r.bestPLabel(), 1e-6);
    }

    @Test
    void gammaAsConfidenceWithPaperValueDoesNotStopAtStepOne() {
        // The AT&T situation: a blank image has c ~ 0.975. With gamma read as a confidence
        // nothing stops until p >= 0.99.
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.975, 0.97, 0.5, 0.02, 0.0101, 0.01, 0.0);
        Reconstruction r = new MiFace(model, params(50, 100)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.CONFIDENT, r.stopReason());
        assertEquals(5, r.iterations(), "p = 0.99 >= 0.99 first at i = 5");
    }

    @Test
    void gammaLiteralCostStopsWhenCostIsAtMostGammaAsPrinted() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.975, 0.97, 0.5, 0.02);
        MiFaceParams p = params(50, 100).withGammaMode(GammaMode.LITERAL_COST);
        Reconstruction r = new MiFace(model, p).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.CONFIDENT, r.stopReason());
        assertEquals(1, r.iterations(), "c = 0.97 <= 0.99: the literal reading stops after one step");
    }

    @Test
    void gammaIsNotAppliedToTheStartImage() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.0, 0.5, 0.0);
        Reconstruction r = new MiFace(model, params(50, 100)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.CONFIDENT, r.stopReason());
        assertEquals(2, r.iterations());
        assertEquals(0, r.bestIteration(), "x_0 had the lowest cost");
    }

    @Test
    void confidenceRuleReadsPLabelForOtherObjectives() {
        // -logit objective: costs fall steadily, p_label rises; only p decides CONFIDENCE.
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3)
                .costs(0, -1, -2, -3, -4, -5, -6).probs(0, 0.1, 0.5, 0.8, 0.95, 0.99);
        MiFaceParams p = params(50, 100).withObjective(Objective.NEG_LOGIT).withGamma(0.9);
        Reconstruction conf = new MiFace(model, p).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.CONFIDENT, conf.stopReason());
        assertEquals(3, conf.iterations());

        ScriptedClassifier model2 = new ScriptedClassifier(SHAPE, 3)
                .costs(0, -1, -2, -3, -4, -5, -6).probs(0, 0.1, 0.5, 0.8, 0.95, 0.99);
        MiFaceParams lit = p.withGamma(-4.5, GammaMode.LITERAL_COST);
        Reconstruction r = new MiFace(model2, lit).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.CONFIDENT, r.stopReason());
        assertEquals(4, r.iterations(), "c = -5 <= -4.5");
    }

    @Test
    void gammaTakesPrecedenceOverWindowOnTheSameStep() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.5, 0.25, 0.5)
                .probs(0, 0.5, 0.75, 0.995);
        Reconstruction r = new MiFace(model, params(50, 2)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(2, r.iterations());
        assertEquals(StopReason.CONFIDENT, r.stopReason());
    }

    @Test
    void maxIterationsAfterAlphaSteps() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.9, 0.8, 0.7, 0.6, 0.5);
        Reconstruction r = new MiFace(model, params(3, 100)).invert(new int[] {0}).reconstructions().get(0);
        assertEquals(StopReason.MAX_ITERATIONS, r.stopReason());
        assertEquals(3, r.iterations());
        assertEquals(4, r.queries());
        assertEquals(3, r.bestIteration());
        assertIterate(3, r);
    }

    @Test
    void finishedTargetIsFrozenAndNoLongerQueriedWhileOthersContinue() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 4)
                .costs(0, 0.9, 0.5, 0.001)                    // confident at i = 2
                .costs(1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3)  // runs to alpha
                .costs(3, 0.9, 0.5, 0.6, 0.7);                // beta 2: 0.7 >= max(0.6, 0.5) at i = 3
        List<int[]> steps = new ArrayList<>();
        InversionResult res = new MiFace(model, params(6, 2))
                .listener((i, active, mean) -> steps.add(new int[] {i, active}))
                .invert(new int[] {3, 0, 1});
        Reconstruction r3 = res.reconstructions().get(0);
        Reconstruction r0 = res.reconstructions().get(1);
        Reconstruction r1 = res.reconstructions().get(2);
        assertEquals(List.of(3, 0, 1), res.reconstructions().stream().map(Reconstruction::label).toList());

        assertEquals(StopReason.CONFIDENT, r0.stopReason());
        assertEquals(2, r0.iterations());
        assertIterate(2, r0);
        assertEquals(StopReason.NO_PROGRESS, r3.stopReason());
        assertEquals(3, r3.iterations());
        assertIterate(1, r3);
        assertEquals(StopReason.MAX_ITERATIONS, r1.stopReason());
        assertEquals(6, r1.iterations());
        assertIterate(6, r1);

        // Calls: i=0..2 all three, i=3 labels 3 and 1, i=4..6 label 1 only.
        List<String> calls = model.callTargets.stream().map(Arrays::toString).toList();
        assertEquals(List.of("[3, 0, 1]", "[3, 0, 1]", "[3, 0, 1]", "[3, 1]", "[1]", "[1]", "[1]"), calls);
        assertEquals(3, r0.queries());
        assertEquals(4, r3.queries());
        assertEquals(7, r1.queries());
        assertEquals(14, res.totalQueries());
        assertEquals(14, model.queryCount());
        // Images the model saw for label 1 rose by lambda per step, unaffected by the others stopping.
        List<Double> seen = model.seenMeans.get(1);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(LAMBDA * i, seen.get(i), 1e-6);
        }
        // Listener: one call per iteration, active count after the rules.
        assertEquals("[[0, 3], [1, 3], [2, 2], [3, 1], [4, 1], [5, 1], [6, 0]]",
                Arrays.deepToString(steps.toArray()));
    }

    @Test
    void nanCostStopsOnlyThatTargetAndKeepsItsBestFiniteIterate() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3)
                .costs(0, 0.9, 0.6, 0.7, Double.NaN, 0.1)
                .costs(1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3);
        InversionResult res = new MiFace(model, params(6, 100)).invert(new int[] {0, 1});
        Reconstruction r0 = res.reconstructions().get(0);
        assertEquals(StopReason.DIVERGED, r0.stopReason());
        assertEquals(3, r0.iterations());
        assertEquals(4, r0.queries());
        assertEquals(1, r0.bestIteration());
        assertEquals(0.6, r0.bestCost(), 1e-6);
        assertIterate(1, r0);
        assertTrue(Double.isNaN(r0.costTrajectory()[3]));
        Reconstruction r1 = res.reconstructions().get(1);
        assertEquals(StopReason.MAX_ITERATIONS, r1.stopReason());
        assertEquals(6, r1.iterations());
        assertEquals(4, model.callsOf(0), "not queried after diverging");
    }

    @Test
    void nonFiniteGradientStopsTheTargetButItsFiniteCostCounts() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3)
                .costs(0, 0.9, 0.6, 0.4, 0.3).grads(0, -1, -1, Double.POSITIVE_INFINITY, -1)
                .costs(1, 0.9, 0.8, 0.7, 0.6);
        InversionResult res = new MiFace(model, params(4, 100)).invert(new int[] {0, 1});
        Reconstruction r0 = res.reconstructions().get(0);
        assertEquals(StopReason.DIVERGED, r0.stopReason());
        assertEquals(2, r0.iterations());
        assertEquals(2, r0.bestIteration(), "x_2 has a finite cost; only its gradient is bad");
        assertIterate(2, r0);
        assertEquals(StopReason.MAX_ITERATIONS, res.reconstructions().get(1).stopReason());
    }

    @Test
    void nonFiniteImageFromProcessStepDiverges() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3)
                .costs(0, 0.9, 0.8, 0.7, 0.6).costs(1, 0.9, 0.8, 0.7, 0.6);
        // Poisons row 0 of the batch at the third process call: the first projects x_0, the third makes x_2.
        int[] calls = {0};
        ProcessStep poison = new ProcessStep() {
            @Override
            public INDArray apply(INDArray batch) {
                if (++calls[0] == 3) {
                    batch.putScalar(new long[] {0, 0, 1, 1}, Double.NaN);
                }
                return batch;
            }

            @Override
            public String name() {
                return "poison";
            }
        };
        InversionResult res = new MiFace(model, params(3, 100)).process(poison).invert(new int[] {0, 1});
        Reconstruction r0 = res.reconstructions().get(0);
        assertEquals(StopReason.DIVERGED, r0.stopReason());
        assertEquals(2, r0.iterations());
        assertEquals(2, r0.queries(), "x_2 was never sent");
        assertIterate(1, r0);
        assertFalse(Double.isNaN(r0.image().sumNumber().doubleValue()));
        assertEquals("poison", res.params().get("process"));
        assertEquals(StopReason.MAX_ITERATIONS, res.reconstructions().get(1).stopReason());
        assertEquals(4, res.reconstructions().get(1).queries());
    }

    @Test
    void snapshotsEveryKIterations() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3).costs(0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2);
        Reconstruction r = new MiFace(model, params(7, 100).withSnapshotEvery(3)).invert(new int[] {0})
                .reconstructions().get(0);
        assertEquals(3, r.snapshots().size(), "x_0, x_3, x_6");
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(new long[] {1, 4, 3}, r.snapshots().get(j).shape());
            assertEquals(LAMBDA * 3 * j, r.snapshots().get(j).getDouble(0, 2, 2), 1e-6);
        }
        Reconstruction none = new MiFace(new ScriptedClassifier(SHAPE, 3).costs(0, 0.9, 0.8),
                params(3, 100).withRecordTrajectory(false)).invert(new int[] {0}).reconstructions().get(0);
        assertTrue(none.snapshots().isEmpty());
        assertEquals(null, none.costTrajectory());
    }

    @Test
    void imagesStacksBestImagesInTargetOrder() {
        ScriptedClassifier model = new ScriptedClassifier(SHAPE, 3)
                .costs(0, 0.9, 0.001).costs(2, 0.9, 0.8, 0.7, 0.001);
        InversionResult res = new MiFace(model, params(10, 100)).invert(new int[] {2, 0});
        INDArray images = res.images();
        assertArrayEquals(new long[] {2, 1, 4, 3}, images.shape());
        assertEquals(LAMBDA * 3, images.getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(LAMBDA * 1, images.getDouble(1, 0, 0, 0), 1e-6);
        assertEquals(Nd4j.zeros(1).dataType(), images.dataType());
    }
}
