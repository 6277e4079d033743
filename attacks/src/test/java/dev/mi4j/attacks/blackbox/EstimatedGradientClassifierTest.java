package dev.mi4j.attacks.blackbox;

import dev.mi4j.core.testing.LinearSoftmaxModel;
import static dev.mi4j.core.testing.LinearSoftmaxModel.cosine;
import static dev.mi4j.core.testing.LinearSoftmaxModel.images;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.QueryBudgetExceededException;
import dev.mi4j.defenses.output.PolicyClassifier;
import dev.mi4j.defenses.output.Rounding;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EstimatedGradientClassifierTest {

    private static final Logger LOG = LoggerFactory.getLogger(EstimatedGradientClassifierTest.class);
    private static final ImageShape SHAPE = new ImageShape(1, 8, 6);
    private static final int D = SHAPE.size();
    private static final int[] TARGETS = {0, 2, 4};

    private static LinearSoftmaxModel model() {
        return new LinearSoftmaxModel(SHAPE, 5, 0.3, 42L);
    }

    @Test
    void fullFiniteDifferencesMatchTheAnalyticGradient() {
        LinearSoftmaxModel model = model();
        INDArray x = images(SHAPE, 3, 7L, DataType.DOUBLE);
        EstimatedGradientClassifier bb = new EstimatedGradientClassifier(model, new FiniteDifferences(1e-5));
        for (Objective objective : new Objective[] {Objective.ONE_MINUS_P, Objective.NEG_LOG_P, Objective.MARGIN}) {
            InputGradient exact = model.inputGradient(x, TARGETS, objective);
            InputGradient est = bb.inputGradient(x, TARGETS, objective);
            assertArrayEquals(exact.gradient().shape(), est.gradient().shape());
            for (int i = 0; i < TARGETS.length; i++) {
                double cos = cosine(row(exact.gradient(), i), row(est.gradient(), i));
                assertTrue(cos > 0.999, objective + " image " + i + ": cosine " + cos);
            }
            assertTrue(exact.cost().equalsWithEps(est.cost(), 1e-9), objective + " cost");
            assertTrue(exact.probabilities().equalsWithEps(est.probabilities(), 1e-12));
        }
        // NEG_LOGIT from probabilities only is -log p_t: its estimate is the NEG_LOG_P gradient.
        InputGradient negLogP = model.inputGradient(x, TARGETS, Objective.NEG_LOG_P);
        InputGradient estLogit = bb.inputGradient(x, TARGETS, Objective.NEG_LOGIT);
        assertTrue(cosine(negLogP.gradient(), estLogit.gradient()) > 0.999);
    }

    @Test
    void finiteDifferencesInFloatStayClose() {
        LinearSoftmaxModel model = model();
        INDArray x = images(SHAPE, 3, 7L, DataType.FLOAT);
        InputGradient exact = model.inputGradient(x, TARGETS, Objective.NEG_LOG_P);
        InputGradient est = new EstimatedGradientClassifier(model, new FiniteDifferences(1e-2))
                .inputGradient(x, TARGETS, Objective.NEG_LOG_P);
        assertEquals(DataType.FLOAT, est.gradient().dataType());
        double cos = cosine(exact.gradient(), est.gradient());
        LOG.info("FD in FLOAT, h=1e-2: cosine {}", cos);
        assertTrue(cos > 0.99, "cosine " + cos);
    }

    @Test
    void nesApproachesTheGradientAsSamplesGrow() {
        LinearSoftmaxModel model = model();
        INDArray x = images(SHAPE, 3, 7L, DataType.DOUBLE);
        InputGradient exact = model.inputGradient(x, TARGETS, Objective.NEG_LOG_P);
        int[] counts = {10, 50, 200, 1000};
        double[] mean = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            EstimatedGradientClassifier bb = new EstimatedGradientClassifier(model,
                    new NesEstimator(counts[c], 1e-3, 11L), 512, QueryBudget.unlimited());
            InputGradient est = bb.inputGradient(x, TARGETS, Objective.NEG_LOG_P);
            for (int i = 0; i < TARGETS.length; i++) {
                mean[c] += cosine(row(exact.gradient(), i), row(est.gradient(), i)) / TARGETS.length;
            }
            LOG.info("NES samples={} (d={}): mean cosine {}", counts[c], D, String.format("%.3f", mean[c]));
        }
        assertTrue(mean[2] > 0.5, "200 samples: " + mean[2]);
        assertTrue(mean[3] > 0.9, "1000 samples: " + mean[3]);
        assertTrue(mean[3] > mean[0], "more samples should help");
    }

    @Test
    void queriesAreCountedExactly() {
        LinearSoftmaxModel model = model();
        INDArray x = images(SHAPE, 3, 7L, DataType.DOUBLE);

        EstimatedGradientClassifier fd = new EstimatedGradientClassifier(model, new FiniteDifferences(1e-4));
        fd.inputGradient(x, TARGETS, Objective.ONE_MINUS_P);
        // 2d perturbations per image plus the image itself (its probabilities are reported).
        assertEquals(3L * (2 * D + 1), model.queryCount());
        assertEquals(model.queryCount(), fd.queryCount());
        assertEquals(3L * (2 * D + 1), fd.queriesPerGradient(3));

        model.resetQueryCount();
        EstimatedGradientClassifier nes = new EstimatedGradientClassifier(model, new NesEstimator(10, 1e-3, 1L));
        nes.inputGradient(x, TARGETS, Objective.ONE_MINUS_P);
        nes.inputGradient(x, TARGETS, Objective.ONE_MINUS_P);
        assertEquals(2L * 3 * (2 * 10 + 1), nes.queryCount());

        model.resetQueryCount();
        EstimatedGradientClassifier sub = new EstimatedGradientClassifier(model, new FiniteDifferences(1e-4, 7, 3L));
        sub.inputGradient(x, TARGETS, Objective.ONE_MINUS_P);
        assertEquals(3L * (2 * 7 + 1), sub.queryCount());
    }

    @Test
    void queriesAreBatchedIntoFewPredictCalls() {
        LinearSoftmaxModel model = model();
        INDArray x = images(SHAPE, 3, 7L, DataType.DOUBLE);
        long total = 3L * (2 * D + 1); // 291
        EstimatedGradientClassifier bb64 = new EstimatedGradientClassifier(model, new FiniteDifferences(1e-5), 64,
                QueryBudget.unlimited());
        InputGradient a = bb64.inputGradient(x, TARGETS, Objective.MARGIN);
        assertEquals((total + 63) / 64, model.predictCalls());
        assertTrue(model.predictBatches().stream().allMatch(s -> s <= 64));
        assertEquals(total, model.predictBatches().stream().mapToLong(Integer::longValue).sum());

        // Chunk boundaries (7 does not divide anything) must not change what is queried.
        LinearSoftmaxModel fresh = model();
        EstimatedGradientClassifier bb7 = new EstimatedGradientClassifier(fresh, new FiniteDifferences(1e-5), 7,
                QueryBudget.unlimited());
        InputGradient b = bb7.inputGradient(x, TARGETS, Objective.MARGIN);
        assertEquals((total + 6) / 7, fresh.predictCalls());
        assertTrue(a.gradient().equalsWithEps(b.gradient(), 1e-12));
        assertTrue(a.cost().equalsWithEps(b.cost(), 1e-15));

        LinearSoftmaxModel once = model();
        new EstimatedGradientClassifier(once, new NesEstimator(20, 1e-3, 5L), 512, QueryBudget.unlimited())
                .inputGradient(x, TARGETS, Objective.MARGIN);
        assertEquals(1, once.predictCalls());

        // The same NES step split into chunks of 5 gives the same estimate (same seed, same directions).
        LinearSoftmaxModel split = model();
        INDArray g512 = new EstimatedGradientClassifier(model(), new NesEstimator(20, 1e-3, 5L), 512,
                QueryBudget.unlimited()).inputGradient(x, TARGETS, Objective.MARGIN).gradient();
        INDArray g5 = new EstimatedGradientClassifier(split, new NesEstimator(20, 1e-3, 5L), 5,
                QueryBudget.unlimited()).inputGradient(x, TARGETS, Objective.MARGIN).gradient();
        assertEquals((3 * 41 + 4) / 5, split.predictCalls());
        assertTrue(g512.equalsWithEps(g5, 1e-12));
    }

    @Test
    void budgetStopsBeforeSendingQueries() {
        LinearSoftmaxModel model = model();
        INDArray x = images(SHAPE, 3, 7L, DataType.DOUBLE);
        EstimatedGradientClassifier bb = new EstimatedGradientClassifier(model, new NesEstimator(10, 1e-3, 1L), 256,
                new QueryBudget(2 * 63 + 4));
        bb.inputGradient(x, TARGETS, Objective.NEG_LOG_P);
        bb.inputGradient(x, TARGETS, Objective.NEG_LOG_P);
        int calls = model.predictCalls();
        QueryBudgetExceededException e = assertThrows(QueryBudgetExceededException.class,
                () -> bb.inputGradient(x, TARGETS, Objective.NEG_LOG_P));
        assertEquals(126, e.used());
        assertEquals(63, e.requested());
        assertEquals(130, e.maxQueries());
        assertEquals(126, model.queryCount());
        assertEquals(calls, model.predictCalls());
        assertTrue(e.getMessage().startsWith("query budget"), e.getMessage());
        // A smaller request still fits (4 left); one over does not.
        bb.predict(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)));
        assertEquals(128, bb.queryCount());
        assertThrows(QueryBudgetExceededException.class, () -> bb.predict(x));
        assertEquals(128, bb.queryCount());
    }

    @Test
    void miFaceStopsCleanlyAtTheQueryBudgetWithTheBestIterate() {
        LinearSoftmaxModel model = model();
        // 21 queries per target per step (2 x 10 + 1): 3 targets x 7 steps = 441 fit, the 8th does not.
        long budget = 3 * 21 * 7 + 20;
        EstimatedGradientClassifier bb = new EstimatedGradientClassifier(model, new NesEstimator(10, 1e-3, 1L), 256,
                new QueryBudget(budget));
        dev.mi4j.attacks.miface.MiFaceParams params = dev.mi4j.attacks.miface.MiFaceParams.paperDefaults()
                .withAlpha(1000).withLambda(1.0).withGamma(1.0 - 1e-12);
        dev.mi4j.attacks.InversionResult r = new dev.mi4j.attacks.miface.MiFace(bb, params).invert(TARGETS);
        assertEquals(3 * 21 * 7, bb.queryCount());
        assertTrue(bb.queryCount() <= budget);
        for (dev.mi4j.attacks.Reconstruction rec : r.reconstructions()) {
            assertEquals(dev.mi4j.attacks.StopReason.QUERY_BUDGET, rec.stopReason());
            assertEquals(6, rec.iterations());
            assertTrue(Double.isFinite(rec.bestPLabel()) && rec.bestPLabel() > 1.0 / 5, "best p " + rec.bestPLabel());
            // The reported image is the best iterate: the model agrees with the recorded probability.
            double p = model.predict(rec.image().reshape(1, SHAPE.channels(), SHAPE.height(), SHAPE.width()))
                    .getDouble(0, rec.label());
            assertEquals(rec.bestPLabel(), p, 1e-6);
        }
    }

    @Test
    void subspaceFiniteDifferencesProbeOnlyTheDrawnCoordinates() {
        LinearSoftmaxModel model = model();
        INDArray x = images(SHAPE, 2, 9L, DataType.DOUBLE);
        int[] targets = {1, 3};
        InputGradient exact = model.inputGradient(x, targets, Objective.NEG_LOG_P);
        INDArray est = new EstimatedGradientClassifier(model, new FiniteDifferences(1e-5, 6, 77L))
                .inputGradient(x, targets, Objective.NEG_LOG_P).gradient();
        INDArray again = new EstimatedGradientClassifier(model, new FiniteDifferences(1e-5, 6, 77L))
                .inputGradient(x, targets, Objective.NEG_LOG_P).gradient();
        assertTrue(est.equalsWithEps(again, 0), "same seed, same estimate");
        double[] e = est.reshape(2, D).getRow(0).toDoubleVector();
        double[] t = exact.gradient().reshape(2, D).getRow(0).toDoubleVector();
        int nonZero = 0;
        for (int i = 0; i < D; i++) {
            if (e[i] != 0) {
                nonZero++;
                assertEquals(t[i], e[i], 1e-6 + 1e-4 * Math.abs(t[i]), "coordinate " + i);
            }
        }
        assertEquals(6, nonZero);
        // The same coordinates for every image of the step.
        double[] e1 = est.reshape(2, D).getRow(1).toDoubleVector();
        for (int i = 0; i < D; i++) {
            assertEquals(e[i] != 0, e1[i] != 0, "coordinate " + i);
        }
    }

    @Test
    void coarseRoundingFlattensTheEstimatedGradient() {
        // A nearly flat model: p stays near 1/3, far from the 0.1-rounding boundaries at 0.35 / 0.25.
        LinearSoftmaxModel flat = new LinearSoftmaxModel(SHAPE, 3, 1e-3, 5L);
        INDArray x = images(SHAPE, 4, 3L, DataType.DOUBLE);
        int[] targets = {0, 1, 2, 0};
        INDArray plain = new EstimatedGradientClassifier(flat, new FiniteDifferences(1e-3))
                .inputGradient(x, targets, Objective.ONE_MINUS_P).gradient();
        InputGradient rounded = new EstimatedGradientClassifier(new PolicyClassifier(flat, new Rounding(0.1)),
                new FiniteDifferences(1e-3)).inputGradient(x, targets, Objective.ONE_MINUS_P);
        long plainZeros = count(plain, true);
        long roundedZeros = count(rounded.gradient(), true);
        LOG.info("FD gradient zeros on a flat model: identity {}/{}, round:0.1 {}/{}", plainZeros, plain.length(),
                roundedZeros, plain.length());
        assertEquals(0, plainZeros);
        assertTrue(roundedZeros >= 0.99 * plain.length(), roundedZeros + " zeros");
        assertEquals(0.7, rounded.cost().getDouble(0), 1e-12);
    }

    private static INDArray row(INDArray batch, int i) {
        return batch.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup();
    }

    private static long count(INDArray a, boolean zeros) {
        long c = 0;
        for (double v : a.dup('c').data().asDouble()) {
            if ((v == 0) == zeros) {
                c++;
            }
        }
        return c;
    }

    @Test
    void blackBoxHasNoFeaturesAndValidatesInputs() {
        LinearSoftmaxModel model = model();
        EstimatedGradientClassifier bb = new EstimatedGradientClassifier(model, new FiniteDifferences(1e-3));
        INDArray x = images(SHAPE, 3, 7L, DataType.FLOAT);
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> bb.features(x));
        assertTrue(u.getMessage().contains("black-box"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> bb.inputGradient(x, new int[] {0, 1}, Objective.MARGIN)).getMessage().startsWith("targets"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> bb.inputGradient(x, new int[] {0, 1, 5}, Objective.MARGIN)).getMessage().startsWith("targets"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> bb.inputGradient(images(new ImageShape(1, 6, 8), 1, 1L, DataType.FLOAT), new int[] {0},
                        Objective.MARGIN)).getMessage().startsWith("images"));
        assertEquals(0, model.queryCount());
    }

    @Test
    void parameterValidationNamesTheParameter() {
        LinearSoftmaxModel model = model();
        assertMessage("h must", () -> new FiniteDifferences(0));
        assertMessage("h must", () -> new FiniteDifferences(Double.NaN, 0, 1L));
        assertMessage("subspaceDims must", () -> new FiniteDifferences(1e-3, -1, 1L));
        assertMessage("samples", () -> new NesEstimator(0, 1e-3, 1L));
        assertMessage("sigma must", () -> new NesEstimator(10, 0, 1L));
        assertMessage("maxBatch must", () -> new EstimatedGradientClassifier(model, new FiniteDifferences(1e-3), 0,
                QueryBudget.unlimited()));
        assertMessage("maxQueries must", () -> new QueryBudget(-1));
    }

    @Test
    void queryCostMeasuresBatchedAndSingleCalls() {
        LinearSoftmaxModel model = model();
        QueryCost cost = QueryCost.measure(model, SHAPE, 32, 3);
        assertEquals((3 + QueryCost.WARMUP_CALLS) * (32 + 1), model.queryCount());
        assertTrue(cost.batchedMicrosPerQuery() > 0 && cost.singleMicrosPerQuery() > 0);
        assertEquals(cost.singleMicrosPerQuery() / cost.batchedMicrosPerQuery(), cost.speedup(), 1e-9);
    }

    static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(fragment), x.getMessage());
    }
}
