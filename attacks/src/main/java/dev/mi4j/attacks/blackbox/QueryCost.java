package dev.mi4j.attacks.blackbox;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Classifier;
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
 * @param batchedMicrosPerQuery  mean wall time per image in batched calls, microseconds
 * @param singleMicrosPerQuery   mean wall time per image in single-image calls, microseconds
 */
public record QueryCost(int batch, int reps, double batchedMicrosPerQuery, double singleMicrosPerQuery) {

    private static final Logger LOG = LoggerFactory.getLogger(QueryCost.class);

    /** How many times cheaper a query is when batched (single / batched). */
    public double speedup() {
        return singleMicrosPerQuery / batchedMicrosPerQuery;
    }

    /**
     * Times {@code reps} predict calls of {@code batch} random images and {@code reps} calls of
     * one image (after one untimed warm-up call of each). Adds (reps + 1) * (batch + 1) to the
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
        classifier.predict(batched);
        classifier.predict(single);

        long t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            classifier.predict(batched);
        }
        long t1 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            classifier.predict(single);
        }
        long t2 = System.nanoTime();
        QueryCost cost = new QueryCost(batch, reps, (t1 - t0) / 1e3 / ((double) reps * batch),
                (t2 - t1) / 1e3 / reps);
        LOG.info("query cost on {}: {} us/query batched ({} per call), {} us/query single, speedup {}",
                shape, String.format("%.1f", cost.batchedMicrosPerQuery()), batch,
                String.format("%.1f", cost.singleMicrosPerQuery()), String.format("%.1f", cost.speedup()));
        return cost;
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
