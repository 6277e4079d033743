package dev.mi4j.attacks.miface;

import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.attacks.StopReason;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Objective;
import dev.mi4j.core.testing.LinearSoftmaxModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** MI-Face against a linear softmax model p = softmax(W x + b) with analytic input gradients. */
class MiFaceLinearModelTest {

    private static final ImageShape SHAPE = new ImageShape(1, 8, 6);
    private static final int CLASSES = 6;
    private static final int[] TARGETS = {4, 0, 2, 5, 1};

    private static LinearSoftmaxModel model() {
        return LinearSoftmaxModel.nd4jSeeded(SHAPE, CLASSES, 42, 0.5);
    }

    private static MiFaceParams quick() {
        return MiFaceParams.paperDefaults().withAlpha(400).withBeta(20).withRecordTrajectory(true);
    }

    @Test
    void paperDefaultsDrivePLabelUpForEveryTarget() {
        LinearSoftmaxModel model = model();
        INDArray zero = Nd4j.zeros(DataType.FLOAT, SHAPE.channels(), SHAPE.height(), SHAPE.width());
        InversionResult res = new MiFace(model, MiFaceParams.paperDefaults()).invert(TARGETS);
        assertEquals(TARGETS.length, res.reconstructions().size());
        for (Reconstruction r : res.reconstructions()) {
            double p0 = model.probability(zero, r.label());
            assertTrue(p0 < 0.5, "start p " + p0);
            assertTrue(r.bestPLabel() >= 0.99, "label " + r.label() + " reached p " + r.bestPLabel());
            assertEquals(StopReason.CONFIDENT, r.stopReason());
            assertEquals(r.bestPLabel(), model.probability(r.image(), r.label()), 1e-5, "reported p matches the image");
            assertEquals(1 - r.bestPLabel(), r.bestCost(), 1e-6);
            assertTrue(r.image().minNumber().doubleValue() >= 0 && r.image().maxNumber().doubleValue() <= 1);
        }
    }

    @Test
    void batchedRunEqualsEachTargetAlone() {
        // Both objectives with a gradient through p, both start kinds (UNIFORM is seeded per label).
        for (Object[] config : new Object[][] {{Objective.ONE_MINUS_P, Init.ZEROS}, {Objective.NEG_LOG_P, Init.UNIFORM}}) {
            {
                Objective objective = (Objective) config[0];
                Init init = (Init) config[1];
                MiFaceParams p = quick().withObjective(objective).withInit(init).withSeed(11).withSnapshotEvery(50);
                LinearSoftmaxModel batchModel = model();
                InversionResult batched = new MiFace(batchModel, p).invert(TARGETS);
                assertTrue(batched.reconstructions().stream().map(Reconstruction::iterations).distinct().count() > 1,
                        "targets should stop at different iterations for this test to mean something");
                for (int t = 0; t < TARGETS.length; t++) {
                    Reconstruction b = batched.reconstructions().get(t);
                    Reconstruction s = new MiFace(model(), p).invert(new int[] {TARGETS[t]}).reconstructions().get(0);
                    String what = objective + "/" + init + " label " + TARGETS[t];
                    assertEquals(s.label(), b.label());
                    assertEquals(s.stopReason(), b.stopReason(), what);
                    assertEquals(s.iterations(), b.iterations(), what);
                    assertEquals(s.bestIteration(), b.bestIteration(), what);
                    assertEquals(s.queries(), b.queries(), what);
                    assertEquals(s.bestCost(), b.bestCost(), 1e-6, what);
                    assertEquals(s.bestPLabel(), b.bestPLabel(), 1e-6, what);
                    assertEquals(0, s.image().sub(b.image()).amaxNumber().doubleValue(), 1e-6, what);
                    assertArrayEquals(s.costTrajectory(), b.costTrajectory(), 1e-6, what);
                    assertEquals(s.snapshots().size(), b.snapshots().size());
                    for (int j = 0; j < s.snapshots().size(); j++) {
                        assertEquals(0, s.snapshots().get(j).sub(b.snapshots().get(j)).amaxNumber().doubleValue(), 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void queriesAreCountedForActiveTargetsOnly() {
        LinearSoftmaxModel model = model();
        InversionResult res = new MiFace(model, quick()).invert(TARGETS);
        long sum = 0;
        int maxIter = 0;
        for (Reconstruction r : res.reconstructions()) {
            assertEquals(r.iterations() + 1L, r.queries(), "start image plus one per step");
            sum += r.queries();
            maxIter = Math.max(maxIter, r.iterations());
        }
        assertEquals(sum, res.totalQueries());
        assertEquals(sum, model.queryCount());
        // One model call per iteration, batch shrinking as targets finish, never growing.
        assertEquals(maxIter + 1, model.batchSizes().size());
        assertEquals(TARGETS.length, model.batchSizes().get(0));
        for (int i = 1; i < model.batchSizes().size(); i++) {
            assertTrue(model.batchSizes().get(i) <= model.batchSizes().get(i - 1));
        }
        assertTrue(model.batchSizes().get(model.batchSizes().size() - 1) < TARGETS.length);
    }

    @Test
    void trajectoryHoldsEveryCostAndTheBestIsItsMinimum() {
        Reconstruction r = new MiFace(model(), quick()).invert(new int[] {3}).reconstructions().get(0);
        double[] traj = r.costTrajectory();
        assertEquals(r.iterations() + 1, traj.length);
        double min = Double.POSITIVE_INFINITY;
        for (double c : traj) {
            min = Math.min(min, c);
        }
        assertEquals(min, r.bestCost(), 0.0);
        assertEquals(traj[r.bestIteration()], r.bestCost(), 0.0);
    }

    @Test
    void sameSeedSameResultOtherSeedOtherStart() {
        MiFaceParams p = quick().withInit(Init.UNIFORM).withSeed(7).withSnapshotEvery(1000);
        Reconstruction a = new MiFace(model(), p).invert(TARGETS).reconstructions().get(2);
        Reconstruction b = new MiFace(model(), p).invert(TARGETS).reconstructions().get(2);
        Reconstruction c = new MiFace(model(), p.withSeed(8)).invert(TARGETS).reconstructions().get(2);
        assertEquals(a.image(), b.image());
        assertEquals(a.bestCost(), b.bestCost(), 0.0);
        assertArrayEquals(a.costTrajectory(), b.costTrajectory(), 0.0);
        INDArray startA = a.snapshots().get(0);
        assertEquals(startA, b.snapshots().get(0));
        assertNotEquals(startA, c.snapshots().get(0));
        assertTrue(startA.minNumber().doubleValue() >= 0 && startA.maxNumber().doubleValue() < 1);
        assertTrue(startA.stdNumber().doubleValue() > 0.2, "uniform noise, not a constant image");
    }

    @Test
    void hugeLambdaDivergesWithTheStartImageKept() {
        LinearSoftmaxModel model = model();
        InversionResult res = new MiFace(model, quick().withLambda(1e39)).invert(new int[] {0, 1});
        for (Reconstruction r : res.reconstructions()) {
            assertEquals(StopReason.DIVERGED, r.stopReason());
            assertEquals(1, r.iterations());
            assertEquals(1, r.queries(), "the non-finite x_1 was not sent");
            assertEquals(0, r.bestIteration());
            assertEquals(0.0, r.image().amaxNumber().doubleValue(), 0.0, "the zero start image");
            assertTrue(Double.isFinite(r.bestCost()));
        }
        assertEquals(2, model.queryCount());
    }

    @Test
    void largeFiniteLambdaOnlyClampsAndDoesNotDiverge() {
        Reconstruction r = new MiFace(model(), quick().withLambda(1e6)).invert(new int[] {0})
                .reconstructions().get(0);
        assertNotEquals(StopReason.DIVERGED, r.stopReason());
        assertTrue(r.image().minNumber().doubleValue() >= 0 && r.image().maxNumber().doubleValue() <= 1);
    }

    @Test
    void meanAndImageInitsStartFromThePrior() {
        INDArray mean = Nd4j.rand(DataType.FLOAT, 1, 8, 6).muli(0.5).addi(0.25);
        MiFaceParams p = quick().withAlpha(3).withSnapshotEvery(10).withInit(Init.MEAN);
        InversionResult res = new MiFace(model(), p).prior(mean).invert(new int[] {1, 3});
        for (Reconstruction r : res.reconstructions()) {
            assertEquals(mean, r.snapshots().get(0));
        }
        assertEquals("[1, 1, 8, 6]", res.params().get("priorShape"));

        INDArray perTarget = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 6);
        InversionResult res2 = new MiFace(model(), p.withInit(Init.IMAGE)).prior(perTarget).invert(new int[] {1, 3});
        assertEquals(perTarget.slice(0), res2.reconstructions().get(0).snapshots().get(0));
        assertEquals(perTarget.slice(1), res2.reconstructions().get(1).snapshots().get(0));

        mean.addi(0.1);
        assertEquals(res.reconstructions().get(0).snapshots().get(0).add(0.1), mean, "prior was copied");
    }

    @Test
    void priorIsValidated() {
        MiFaceParams p = quick().withInit(Init.MEAN);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new MiFace(model(), p).invert(new int[] {0}));
        assertTrue(missing.getMessage().startsWith("prior"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MiFace(model(), p).prior(Nd4j.zeros(1, 6, 8)));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> new MiFace(model(), p).prior(Nd4j.ones(1, 8, 6).muli(2)));
        assertTrue(range.getMessage().startsWith("prior"), range.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> new MiFace(model(), p).prior(Nd4j.zeros(3, 1, 8, 6)).invert(new int[] {0, 1}));
        assertTrue(count.getMessage().startsWith("prior"), count.getMessage());
    }

    @Test
    void targetsAreValidated() {
        MiFace attack = new MiFace(model(), quick());
        for (int[] bad : new int[][] {{}, {0, 6}, {-1}, {2, 3, 2}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> attack.invert(bad));
            assertTrue(e.getMessage().startsWith("targets"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> attack.invert(null));
    }

    @Test
    void auxTermIsPartOfTheCost() {
        LinearSoftmaxModel model = model();
        AuxTerm l2 = AuxTerm.l2(0.01);
        InversionResult res = new MiFace(model, quick()).auxTerm(l2).invert(new int[] {2});
        Reconstruction r = res.reconstructions().get(0);
        double objective = model.cost(r.image(), 2, Objective.ONE_MINUS_P);
        double aux = l2.cost(r.image().reshape(1, 1, 8, 6)).getDouble(0);
        assertTrue(aux > 0);
        assertEquals(objective + aux, r.bestCost(), 1e-5);
        assertEquals("l2(0.01)", res.params().get("auxTerm"));

        Reconstruction plain = new MiFace(model(), quick()).invert(new int[] {2}).reconstructions().get(0);
        assertTrue(r.image().norm2Number().doubleValue() < plain.image().norm2Number().doubleValue(),
                "the L2 term pulls pixels towards 0");
    }

    @Test
    void otherObjectivesAlsoRaiseTheLabelProbability() {
        for (Objective o : List.of(Objective.NEG_LOG_P, Objective.NEG_LOGIT, Objective.MARGIN)) {
            LinearSoftmaxModel model = model();
            Reconstruction r = new MiFace(model, quick().withObjective(o)).invert(new int[] {5}).reconstructions().get(0);
            assertTrue(r.bestPLabel() > 0.9, o + " reached " + r.bestPLabel());
            assertEquals(model.cost(r.image(), 5, o), r.bestCost(), 1e-5, o.toString());
        }
    }

    @Test
    void doublePrecisionWorksToo() {
        Reconstruction r = new MiFace(model(), quick()).dataType(DataType.DOUBLE).invert(new int[] {1})
                .reconstructions().get(0);
        assertEquals(DataType.DOUBLE, r.image().dataType());
        assertFalse(Double.isNaN(r.bestCost()));
        assertThrows(IllegalArgumentException.class, () -> new MiFace(model(), quick()).dataType(DataType.INT));
    }

    @Test
    void resultRecordsSettings() {
        InversionResult res = new MiFace(model(), quick()).invert(new int[] {0});
        assertEquals("MI-Face", res.attackName());
        assertEquals(400, res.params().get("alpha"));
        assertEquals("ONE_MINUS_P", res.params().get("objective"));
        assertEquals("identity", res.params().get("process"));
        assertEquals("none", res.params().get("auxTerm"));
        assertEquals("FLOAT", res.params().get("dataType"));
        assertTrue(res.millis() >= 0);
    }
}
