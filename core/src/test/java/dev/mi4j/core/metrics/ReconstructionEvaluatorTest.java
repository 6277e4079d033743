package dev.mi4j.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Synthetic identities whose geometry fixes the answers: identity k's images are k/10 plus small
 * noise, so identities are ordered along a line. The fake evaluation model's features are the
 * pixels themselves and its probabilities a softmax of minus the squared distance to each class
 * mean, so the nearest class in pixels is the top-1 class.
 */
class ReconstructionEvaluatorTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 12);
    private static final int IDENTITIES = 7;
    private static final int PER_IDENTITY = 3;
    private static LabeledImages train;

    /** Features = flattened image; predict = softmax(-||x - mean_k||^2). Counts feature calls. */
    static final class FakeModel implements DifferentiableClassifier {
        final INDArray means; // [k, d]
        long queries;
        int featureCalls;
        long featureImages;

        FakeModel(LabeledImages train) {
            means = Nd4j.create(DataType.FLOAT, IDENTITIES, SHAPE.size());
            for (int k = 0; k < IDENTITIES; k++) {
                means.putRow(k, train.imagesOf(k).reshape(PER_IDENTITY, SHAPE.size()).mean(0));
            }
        }

        @Override
        public int numClasses() {
            return IDENTITIES;
        }

        @Override
        public ImageShape inputShape() {
            return SHAPE;
        }

        @Override
        public INDArray predict(INDArray images) {
            int n = (int) images.size(0);
            queries += n;
            INDArray x = images.reshape(n, SHAPE.size());
            INDArray logits = Nd4j.create(DataType.FLOAT, n, IDENTITIES);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < IDENTITIES; k++) {
                    double d = x.getRow(i).sub(means.getRow(k)).norm2Number().doubleValue();
                    logits.putScalar(i, k, -d * d);
                }
            }
            return org.nd4j.linalg.ops.transforms.Transforms.softmax(logits);
        }

        @Override
        public long queryCount() {
            return queries;
        }

        @Override
        public void resetQueryCount() {
            queries = 0;
        }

        @Override
        public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
            throw new UnsupportedOperationException("not needed by the evaluator");
        }

        @Override
        public INDArray features(INDArray images) {
            featureCalls++;
            featureImages += images.size(0);
            return images.reshape(images.size(0), SHAPE.size()).dup();
        }
    }

    @BeforeAll
    static void makeIdentities() {
        Nd4j.getRandom().setSeed(42);
        INDArray images = Nd4j.rand(DataType.FLOAT, IDENTITIES * PER_IDENTITY, 1, 12, 12).subi(0.5).muli(0.02);
        int[] labels = new int[IDENTITIES * PER_IDENTITY];
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % IDENTITIES; // interleaved, so indices of an identity are not contiguous
            images.get(NDArrayIndex.point(i)).addi(labels[i] / 10.0 + 0.1);
            sources.add("s" + labels[i] + "/" + i + ".pgm");
        }
        List<String> names = java.util.stream.IntStream.range(0, IDENTITIES).mapToObj(k -> "id" + k).toList();
        train = new LabeledImages("synthetic", images, labels, names, sources, SHAPE);
    }

    private static INDArray image(int index) {
        return train.images().get(NDArrayIndex.point(index)).dup();
    }

    private static INDArray stack(INDArray... chw) {
        return Nd4j.stack(0, chw);
    }

    @Test
    void nearestImageClassMeanAndClassifierMetricsHaveTheirKnownValues() {
        FakeModel model = new FakeModel(train);
        ReconstructionEvaluator ev = new ReconstructionEvaluator(train, model, 7);
        int[] idx3 = train.indicesOf(3);
        INDArray noise = Nd4j.rand(DataType.FLOAT, 1, 12, 12).subi(0.5).muli(0.002);
        INDArray nearTraining = image(idx3[1]).add(noise);          // target 3, close to its 2nd image
        INDArray farIdentity = image(train.indicesOf(6)[0]);         // labelled 0: the farthest identity
        INDArray neighbour = image(train.indicesOf(1)[2]);           // labelled 0: the next identity
        ReconstructionReport r = ev.evaluate(stack(nearTraining, farIdentity, neighbour), new int[] {3, 0, 0});

        TargetMetrics a = r.targets().get(0);
        assertEquals(3, a.label());
        assertEquals("id3", a.identity());
        assertEquals(idx3[1], a.nearestTrainingIndex());
        assertEquals(ImageSimilarity.mse(nearTraining, image(idx3[1])), a.mseNearest(), 1e-12);
        assertEquals(ImageSimilarity.psnr(nearTraining, image(idx3[1])), a.psnrNearest(), 1e-9);
        assertEquals(ImageSimilarity.ssim(nearTraining, image(idx3[1])), a.ssimNearest(), 1e-9);
        INDArray classMean = train.imagesOf(3).mean(0);
        assertEquals(ImageSimilarity.mse(nearTraining, classMean), a.mseMean(), 1e-9);
        assertEquals(ImageSimilarity.ssim(nearTraining, classMean), a.ssimMean(), 1e-6);
        assertTrue(a.mseNearest() < a.mseMean());
        assertEquals(3, a.evalTop1Label());
        assertTrue(a.evalTop1Correct());
        assertTrue(a.evalTop5Correct());
        assertEquals(model.predict(nearTraining.reshape(1, 1, 12, 12)).getDouble(0, 3), a.evalPTarget(), 1e-6);
        // features are pixels: feature distance to the nearest image = its squared L2 pixel distance
        assertEquals(a.mseNearest() * SHAPE.size(), a.featureDistanceNearest(), 1e-6);
        assertEquals(Boolean.TRUE, a.lineupCorrect());

        TargetMetrics far = r.targets().get(1);
        assertEquals(6, far.evalTop1Label());
        assertFalse(far.evalTop1Correct());
        assertFalse(far.evalTop5Correct()); // identity 0 is ranked last of 7
        assertEquals(Boolean.FALSE, far.lineupCorrect()); // identity 0 is farther than any distractor

        TargetMetrics near = r.targets().get(2);
        assertEquals(1, near.evalTop1Label());
        assertFalse(near.evalTop1Correct());
        assertTrue(near.evalTop5Correct()); // ranked 2nd
        boolean identity1InLineup = Arrays.stream(ev.lineupDistractors(0)).anyMatch(l -> l == 1);
        assertEquals(!identity1InLineup, near.lineupCorrect());

        AggregateMetrics agg = r.aggregate();
        assertEquals(3, agg.count());
        assertEquals(1 / 3.0, agg.top1Accuracy(), 1e-12);
        assertEquals(2 / 3.0, agg.top5Accuracy(), 1e-12);
        assertEquals((a.ssimNearest() + far.ssimNearest() + near.ssimNearest()) / 3, agg.meanSsimNearest(), 1e-12);
        long lineupOk = r.targets().stream().filter(TargetMetrics::lineupCorrect).count();
        assertEquals(lineupOk / 3.0, agg.lineupAccuracy(), 1e-12);
    }

    @Test
    void trainingFeaturesAreComputedOnceAndCached() {
        FakeModel model = new FakeModel(train);
        ReconstructionEvaluator ev = new ReconstructionEvaluator(train, model, 1);
        ev.evaluate(stack(image(0), image(1)), new int[] {0, 1});
        ev.evaluate(stack(image(2)), new int[] {2});
        assertEquals(train.size() + 3, model.featureImages);
    }

    @Test
    void anExactCopyHasInfinitePsnrWhichTheMeanSkips() {
        ReconstructionEvaluator ev = new ReconstructionEvaluator(train, null, 1);
        INDArray copy = image(4);
        INDArray other = image(5).add(0.01);
        ReconstructionReport r = ev.evaluate(stack(copy, other), new int[] {train.labels()[4], train.labels()[5]});
        assertEquals(4, r.targets().get(0).nearestTrainingIndex());
        assertEquals(Double.POSITIVE_INFINITY, r.targets().get(0).psnrNearest());
        assertEquals(1.0, r.targets().get(0).ssimNearest(), 1e-12);
        assertEquals(r.targets().get(1).psnrNearest(), r.aggregate().meanPsnrNearest(), 1e-12);
    }

    @Test
    void withoutEvaluationModelClassifierMetricsAreMissing() {
        ReconstructionReport r = new ReconstructionEvaluator(train, null, 1).evaluate(stack(image(0)), new int[] {0});
        TargetMetrics t = r.targets().get(0);
        assertNull(t.evalTop1Label());
        assertNull(t.lineupCorrect());
        assertTrue(Double.isNaN(t.evalPTarget()));
        assertTrue(Double.isNaN(t.featureDistanceNearest()));
        assertTrue(Double.isNaN(r.aggregate().top1Accuracy()));
        assertTrue(Double.isNaN(r.aggregate().top5Accuracy()));
        assertTrue(Double.isNaN(r.aggregate().lineupAccuracy()));
        assertEquals(0.0, r.aggregate().meanMseNearest(), 0);
    }

    @Test
    void lineupIsDeterministicAndIndependentOfTargetOrder() {
        ReconstructionEvaluator ev = new ReconstructionEvaluator(train, new FakeModel(train), 99);
        for (int label = 0; label < IDENTITIES; label++) {
            int[] d = ev.lineupDistractors(label);
            assertEquals(ReconstructionEvaluator.LINEUP_SIZE - 1, d.length);
            final int l = label;
            assertTrue(Arrays.stream(d).noneMatch(x -> x == l || x < 0 || x >= IDENTITIES));
            assertEquals(d.length, Arrays.stream(d).distinct().count());
            assertArrayEquals(d, new ReconstructionEvaluator(train, null, 99).lineupDistractors(label));
        }
        Set<String> seed99 = new java.util.HashSet<>();
        Set<String> seed100 = new java.util.HashSet<>();
        ReconstructionEvaluator other = new ReconstructionEvaluator(train, null, 100);
        for (int label = 0; label < IDENTITIES; label++) {
            seed99.add(label + ":" + sorted(ev.lineupDistractors(label)));
            seed100.add(label + ":" + sorted(other.lineupDistractors(label)));
        }
        assertNotEquals(seed99, seed100);

        // Same reconstructions in reverse order give the same per-target results.
        INDArray noise = Nd4j.rand(DataType.FLOAT, 1, 12, 12).muli(0.3);
        INDArray[] recs = new INDArray[IDENTITIES];
        int[] targets = new int[IDENTITIES];
        for (int k = 0; k < IDENTITIES; k++) {
            recs[k] = image(train.indicesOf((k + 2) % IDENTITIES)[0]).add(noise);
            targets[k] = k;
        }
        List<TargetMetrics> forward = ev.evaluate(stack(recs), targets).targets();
        INDArray[] rev = new INDArray[IDENTITIES];
        int[] revTargets = new int[IDENTITIES];
        for (int k = 0; k < IDENTITIES; k++) {
            rev[k] = recs[IDENTITIES - 1 - k];
            revTargets[k] = targets[IDENTITIES - 1 - k];
        }
        List<TargetMetrics> backward = new ReconstructionEvaluator(train, new FakeModel(train), 99)
                .evaluate(stack(rev), revTargets).targets();
        for (int k = 0; k < IDENTITIES; k++) {
            assertEquals(forward.get(k).lineupCorrect(), backward.get(IDENTITIES - 1 - k).lineupCorrect());
            assertEquals(forward.get(k), backward.get(IDENTITIES - 1 - k));
        }
    }

    private static String sorted(int[] a) {
        return Arrays.stream(a).sorted().mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Test
    void reportSurvivesJsonWithMissingValuesAsNull() {
        ReconstructionEvaluator ev = new ReconstructionEvaluator(train, null, 1);
        ReconstructionReport r = ev.evaluate(stack(image(0), image(1).add(0.05)), new int[] {0, 1});
        String json = r.toJson();
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        assertTrue(json.contains("\"psnrNearest\" : null"), json);
        ReconstructionReport back = ReconstructionReport.fromJson(json);
        assertEquals(r.targets().get(1), back.targets().get(1));
        assertTrue(Double.isNaN(back.targets().get(0).psnrNearest())); // +Infinity was written as null
        assertTrue(Double.isNaN(back.aggregate().top1Accuracy()));
        assertEquals(r.aggregate(), back.aggregate());
    }

    @Test
    void rejectsInvalidInput() {
        ReconstructionEvaluator ev = new ReconstructionEvaluator(train, null, 1);
        assertThrows(IllegalArgumentException.class, () -> ev.evaluate(stack(image(0)), new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> ev.evaluate(stack(image(0)), new int[] {IDENTITIES}));
        assertThrows(IllegalArgumentException.class,
                () -> ev.evaluate(Nd4j.zeros(DataType.FLOAT, 1, 1, 10, 12), new int[] {0}));
        assertEquals(0, ev.evaluate(Nd4j.zeros(DataType.FLOAT, 0, 1, 12, 12), new int[0]).aggregate().count());
    }
}
