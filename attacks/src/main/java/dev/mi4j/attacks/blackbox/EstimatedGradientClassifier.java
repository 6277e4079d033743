package dev.mi4j.attacks.blackbox;

import dev.mi4j.attacks.QueryBudgetExceededException;
import dev.mi4j.defenses.output.ObservedObjective;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Classifier;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The black-box attacker's {@link DifferentiableClassifier}: gradients are estimated from
 * {@link Classifier#predict} outputs alone (never weights, logits or features), so a white-box
 * attack such as MI-Face runs unchanged in the black-box setting by wrapping the API.
 *
 * <p><b>Objectives.</b> Costs are computed from the returned (possibly policy-altered)
 * probabilities by {@link ObservedObjective}; for NEG_LOGIT and MARGIN, log-probabilities stand
 * in for logits (MARGIN is then exact on unaltered softmax output; NEG_LOGIT equals NEG_LOG_P).
 *
 * <p><b>Queries.</b> One {@link #inputGradient} call for n images sends n * (1 + 2 * pairs)
 * images: each unperturbed image once (its probabilities and cost are what the attack reports
 * and stops on) plus the estimator's 2 * pairs perturbations. All of them are packed, in order,
 * into predict calls of at most {@code maxBatch} images: ceil(n * (1 + 2 * pairs) / maxBatch)
 * calls, through one reused input buffer. Every image is counted by the wrapped classifier,
 * whose count {@link #queryCount} reports.
 *
 * <p><b>Budget.</b> Before sending anything, a call checks that the wrapped classifier's count
 * plus the call's queries stays within the {@link QueryBudget}; if not it throws
 * {@link QueryBudgetExceededException} and sends nothing, so the attack can stop with its best
 * image so far. The estimator's random stream does not advance on a refused call.
 *
 * <p>Not thread-safe (one reused buffer, one estimator stream).
 */
public final class EstimatedGradientClassifier implements DifferentiableClassifier {

    public static final int DEFAULT_MAX_BATCH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(EstimatedGradientClassifier.class);

    private final Classifier blackBox;
    private final GradientEstimator estimator;
    private final int maxBatch;
    private final QueryBudget budget;
    private INDArray buffer;

    /**
     * @param blackBox  the prediction API, usually a PolicyClassifier; only predict() is used
     * @param estimator how gradients are estimated
     * @param maxBatch  most images per predict call, at least 1
     * @param budget    query budget over the wrapped classifier's count
     */
    public EstimatedGradientClassifier(Classifier blackBox, GradientEstimator estimator, int maxBatch,
                                       QueryBudget budget) {
        this.blackBox = Objects.requireNonNull(blackBox, "blackBox");
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.budget = Objects.requireNonNull(budget, "budget");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.maxBatch = maxBatch;
    }

    /** Batches of {@value #DEFAULT_MAX_BATCH}, no budget. */
    public EstimatedGradientClassifier(Classifier blackBox, GradientEstimator estimator) {
        this(blackBox, estimator, DEFAULT_MAX_BATCH, QueryBudget.unlimited());
    }

    public Classifier blackBox() {
        return blackBox;
    }

    public GradientEstimator estimator() {
        return estimator;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public QueryBudget budget() {
        return budget;
    }

    /** Queries one {@link #inputGradient} call sends for {@code images} images. */
    public long queriesPerGradient(int images) {
        return (long) images * (1 + 2L * estimator.pairs(inputShape().size()));
    }

    @Override
    public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
        Objects.requireNonNull(objective, "objective");
        ImageShape shape = inputShape();
        int n = checkImages(images, shape);
        if (targets == null || targets.length != n) {
            throw new IllegalArgumentException("targets: expected " + n + " labels, got "
                    + (targets == null ? "null" : targets.length));
        }
        int k = numClasses();
        for (int t : targets) {
            if (t < 0 || t >= k) {
                throw new IllegalArgumentException("targets: label " + t + " outside 0.." + (k - 1));
            }
        }
        int d = shape.size();
        int pairs = estimator.pairs(d);
        long total = (long) n * (1 + 2L * pairs);
        budget.check(blackBox.queryCount(), total);

        long started = System.nanoTime();
        DataType type = images.dataType();
        GradientEstimator.Probe probe = estimator.probe(d, type);
        INDArray flat = images.dup('c').reshape('c', n, d);
        INDArray buf = buffer(d, type);

        double[] centerCost = new double[n];
        double[][] centerProbs = new double[n][];
        double[][] sided = new double[n][2 * pairs];
        int calls = 0;
        for (long start = 0; start < total; start += maxBatch) {
            int rows = (int) Math.min(maxBatch, total - start);
            INDArray chunk = rows == maxBatch ? buf
                    : buf.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            fill(chunk, start, rows, n, pairs, flat, probe);
            INDArray probs = blackBox.predict(chunk.reshape('c', shape.batchShape(rows)));
            calls++;
            double[][] p = probs.toDoubleMatrix();
            if (p.length != rows) {
                throw new IllegalStateException("black box returned " + p.length + " rows for " + rows + " images");
            }
            for (int r = 0; r < rows; r++) {
                long q = start + r;
                if (q < n) {
                    int i = (int) q;
                    centerProbs[i] = p[r];
                    centerCost[i] = ObservedObjective.cost(p[r], targets[i], objective);
                } else {
                    long s = q - n;
                    int i = (int) (s / (2L * pairs));
                    int w = (int) (s % (2L * pairs));
                    sided[i][w] = ObservedObjective.cost(p[r], targets[i], objective);
                }
            }
        }

        double[][] differences = new double[n][pairs];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < pairs; j++) {
                differences[i][j] = sided[i][j] - sided[i][pairs + j];
            }
        }
        INDArray gradient = probe.combine(differences, type).reshape('c', shape.batchShape(n));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} images, {} queries in {} predict calls, {} ms", estimator.name(), n, total, calls,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return new InputGradient(Nd4j.createFromArray(centerCost).castTo(type),
                Nd4j.create(centerProbs).castTo(type), gradient);
    }

    /** Writes rows [start, start + rows) of the step's query sequence into chunk. */
    private static void fill(INDArray chunk, long start, int rows, int n, int pairs, INDArray flat,
                             GradientEstimator.Probe probe) {
        // Sequence: the n unperturbed images, then per image: pairs "plus" rows, pairs "minus" rows.
        long end = start + rows;
        long q = start;
        while (q < end) {
            int at = (int) (q - start);
            if (q < n) {
                int len = (int) (Math.min(n, end) - q);
                chunk.get(NDArrayIndex.interval(at, at + len), NDArrayIndex.all())
                        .assign(flat.get(NDArrayIndex.interval(q, q + len), NDArrayIndex.all()));
                q += len;
            } else {
                long s = q - n;
                int i = (int) (s / (2L * pairs));
                int w = (int) (s % (2L * pairs));
                boolean plus = w < pairs;
                int pair = plus ? w : w - pairs;
                int len = (int) Math.min(pairs - pair, end - q);
                probe.perturb(flat.getRow(i, true), plus, pair, pair + len,
                        chunk.get(NDArrayIndex.interval(at, at + len), NDArrayIndex.all()));
                q += len;
            }
        }
    }

    private INDArray buffer(int d, DataType type) {
        if (buffer == null || buffer.dataType() != type || buffer.size(1) != d) {
            buffer = Nd4j.create(type, maxBatch, d);
        }
        return buffer;
    }

    private static int checkImages(INDArray images, ImageShape shape) {
        Objects.requireNonNull(images, "images");
        long[] s = images.shape();
        if (s.length != 4 || s[1] != shape.channels() || s[2] != shape.height() || s[3] != shape.width()) {
            throw new IllegalArgumentException("images: expected [n, " + shape.channels() + ", " + shape.height()
                    + ", " + shape.width() + "], got " + Arrays.toString(s));
        }
        return (int) s[0];
    }

    /** Black-box models expose no features: always throws. */
    @Override
    public INDArray features(INDArray images) {
        throw new UnsupportedOperationException(
                "a black-box classifier has no features: only predict() outputs are observable "
                        + "(use the white-box model for feature-space metrics)");
    }

    @Override
    public int numClasses() {
        return blackBox.numClasses();
    }

    @Override
    public ImageShape inputShape() {
        return blackBox.inputShape();
    }

    /** Delegates to the black box after checking the budget for the images sent. */
    @Override
    public INDArray predict(INDArray images) {
        budget.check(blackBox.queryCount(), images.size(0));
        return blackBox.predict(images);
    }

    @Override
    public long queryCount() {
        return blackBox.queryCount();
    }

    @Override
    public void resetQueryCount() {
        blackBox.resetQueryCount();
    }

    @Override
    public String toString() {
        return "EstimatedGradientClassifier[" + estimator + ", maxBatch=" + maxBatch + "]";
    }
}
