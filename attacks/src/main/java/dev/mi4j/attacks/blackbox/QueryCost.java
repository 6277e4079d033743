package dev.mi4j.attacks.blackbox;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Classifier;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cost of one query when perturbations are sent in one batched predict call versus one image
 * per call: the measured reason {@link EstimatedGradientClassifier} batches its queries.
 *
 * @param batch                  images per batched call
 * @param reps                   timed calls of each kind
 * @param batchedMicrosPerQuery  median wall time of a batched call divided by the batch, microseconds
 * @param singleMicrosPerQuery   median wall time of a single-image call, microseconds
 */
public record QueryCost(int batch, int reps, double batchedMicrosPerQuery, double singleMicrosPerQuery) {

    private static final Logger LOG = LoggerFactory.getLogger(QueryCost.class);

    /** How many times cheaper a query is when batched (single / batched). */
    public double speedup() {
        return singleMicrosPerQuery / batchedMicrosPerQuery;
    }

    /** Untimed calls of each kind first: the first calls of a shape run cold (JIT, native buffers). */
    public static final int WARMUP_CALLS = 3;

    /**
     * Times {@code reps} predict calls of {@code batch} random images and {@code reps} calls of
     * one image, after {@link #WARMUP_CALLS} untimed calls of each; the median call time counts
     * (a shared machine disturbs some calls). Adds (reps + WARMUP_CALLS) * (batch + 1) to the
     * classifier's query count. Images are seeded uniform noise in [0, 1], FLOAT.
     */
    public static QueryCost measure(Classifier classifier, ImageShape shape, int batch, int reps) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (reps < 1) {
            throw new IllegalArgumentException("reps must be >= 1, got " + reps);
        }
        INDArray batched = noise(shape, batch, 1L);
        INDArray single = batched.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup();
        for (int w = 0; w < WARMUP_CALLS; w++) {
            classifier.predict(batched);
            classifier.predict(single);
        }
        double batchedMicros = medianCallMicros(classifier, batched, reps);
        double singleMicros = medianCallMicros(classifier, single, reps);
        QueryCost cost = new QueryCost(batch, reps, batchedMicros / batch, singleMicros);
        LOG.info("query cost on {}: {} us/query batched ({} per call), {} us/query single, speedup {}",
                shape, String.format("%.1f", cost.batchedMicrosPerQuery()), batch,
                String.format("%.1f", cost.singleMicrosPerQuery()), String.format("%.1f", cost.speedup()));
        return cost;
    }

    private static double medianCallMicros(Classifier classifier, INDArray images, int reps) {
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            classifier.predict(images);
            t[r] = (System.nanoTime() - t0) / 1e3;
        }
        Arrays.sort(t);
        return reps % 2 == 1 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
    }

    private static INDArray noise(ImageShape shape, int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n * shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat();
        }
        return Nd4j.createFromArray(v).reshape(shape.batchShape(n)).castTo(DataType.FLOAT);
    }
}
