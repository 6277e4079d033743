package dev.mi4j.core.metrics;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DifferentiableClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures reconstructions against the target model's private training images (see DESIGN.md,
 * "Metrics"):
 * <ul>
 *   <li>pixel similarity (MSE, PSNR, SSIM) to the identity's <em>nearest</em> training image (lowest
 *       MSE) and to its <em>class mean</em> (pixel-wise mean of its training images);</li>
 *   <li>with an independent evaluation model: top-1 / top-5 attack accuracy and p(target);</li>
 *   <li>the squared L2 distance in the evaluation model's feature space to the nearest training
 *       image of the identity;</li>
 *   <li>a 5-way lineup, as in the paper's human study: the target identity and 4 others drawn at
 *       random; correct if the target identity is strictly closest in feature space, the distance
 *       to an identity being the minimum over its training images.</li>
 * </ul>
 * The lineup's 4 distractors depend only on the seed and the target label, so results do not
 * depend on the order or batching of targets. Training features are computed once and cached.
 */
public final class ReconstructionEvaluator {

    /** Identities in a lineup, the target included. */
    public static final int LINEUP_SIZE = 5;
    private static final int BATCH = 64;
    private static final Logger log = LoggerFactory.getLogger(ReconstructionEvaluator.class);

    private final LabeledImages train;
    private final DifferentiableClassifier model;
    private final long seed;
    private final ImageShape shape;
    private final double[][] trainPixels;
    private final double[][] classMeans;
    private final int[] identities; // labels with at least one training image, ascending
    private double[][] trainFeatures; // lazily, one row per training image

    /**
     * @param privateTrain    the target model's training images
     * @param evaluationModel an independent classifier over the same identities, or null to skip
     *                        the classifier metrics (they become NaN / null / false)
     * @param seed            seed of the lineup draws
     */
    public ReconstructionEvaluator(LabeledImages privateTrain, DifferentiableClassifier evaluationModel, long seed) {
        if (privateTrain == null || privateTrain.size() == 0) {
            throw new IllegalArgumentException("privateTrain: must hold at least one image");
        }
        this.train = privateTrain;
        this.model = evaluationModel;
        this.seed = seed;
        this.shape = privateTrain.shape();
        if (model != null) {
            if (!model.inputShape().equals(shape)) {
                throw new IllegalArgumentException("evaluationModel: input shape " + model.inputShape()
                        + " differs from the training images' " + shape);
            }
            if (model.numClasses() != privateTrain.numClasses()) {
                throw new IllegalArgumentException("evaluationModel: " + model.numClasses()
                        + " classes, but privateTrain has " + privateTrain.numClasses() + " identities");
            }
        }
        this.trainPixels = rows(privateTrain.images());
        this.classMeans = new double[privateTrain.numClasses()][];
        TreeSet<Integer> present = new TreeSet<>();
        for (int label : privateTrain.labels()) {
            present.add(label);
        }
        this.identities = present.stream().mapToInt(Integer::intValue).toArray();
        for (int label : identities) {
            double[] mean = new double[shape.size()];
            int[] idx = privateTrain.indicesOf(label);
            for (int i : idx) {
                for (int p = 0; p < mean.length; p++) {
                    mean[p] += trainPixels[i][p];
                }
            }
            for (int p = 0; p < mean.length; p++) {
                mean[p] /= idx.length;
            }
            classMeans[label] = mean;
        }
    }

    /**
     * @param reconstructions [n, c, h, w], pixels in [0, 1], same image shape as the training set
     * @param targets         the target label of each reconstruction
     */
    public ReconstructionReport evaluate(INDArray reconstructions, int[] targets) {
        if (reconstructions == null || targets == null) {
            throw new IllegalArgumentException("reconstructions, targets: must not be null");
        }
        long[] s = reconstructions.shape();
        if (s.length != 4 || s[1] != shape.channels() || s[2] != shape.height() || s[3] != shape.width()) {
            throw new IllegalArgumentException("reconstructions: expected [n, " + shape.channels() + ", "
                    + shape.height() + ", " + shape.width() + "], got " + Arrays.toString(s));
        }
        if (s[0] != targets.length) {
            throw new IllegalArgumentException("targets: " + targets.length + " labels for " + s[0] + " reconstructions");
        }
        for (int t : targets) {
            if (t < 0 || t >= classMeans.length || classMeans[t] == null) {
                throw new IllegalArgumentException("targets: label " + t + " has no image in privateTrain");
            }
        }
        if (targets.length == 0) {
            return new ReconstructionReport(List.of(), AggregateMetrics.of(List.of(), model != null));
        }
        long start = System.nanoTime();
        double[][] recon = rows(reconstructions);
        double[][] probs = null;
        double[][] reconFeatures = null;
        if (model != null) {
            probs = batched(reconstructions, model::predict);
            reconFeatures = batched(reconstructions, model::features);
            trainFeatures();
        }
        List<TargetMetrics> result = new ArrayList<>(targets.length);
        for (int i = 0; i < targets.length; i++) {
            result.add(evaluateOne(recon[i], targets[i],
                    probs == null ? null : probs[i], reconFeatures == null ? null : reconFeatures[i]));
        }
        ReconstructionReport report = new ReconstructionReport(result, AggregateMetrics.of(result, model != null));
        log.debug("evaluated {} reconstructions in {} ms", targets.length, (System.nanoTime() - start) / 1_000_000);
        return report;
    }

    private TargetMetrics evaluateOne(double[] x, int label, double[] p, double[] f) {
        int c = shape.channels();
        int h = shape.height();
        int w = shape.width();
        int nearest = -1;
        double nearestMse = Double.POSITIVE_INFINITY;
        for (int idx : train.indicesOf(label)) {
            double m = ImageSimilarity.mse(x, trainPixels[idx]);
            if (m < nearestMse) {
                nearestMse = m;
                nearest = idx;
            }
        }
        double[] mean = classMeans[label];
        double mseMean = ImageSimilarity.mse(x, mean);

        Integer top1 = null;
        boolean top1Ok = false;
        boolean top5Ok = false;
        double pTarget = Double.NaN;
        double featDist = Double.NaN;
        Boolean lineup = null;
        if (model != null) {
            top1 = argmax(p);
            top1Ok = top1 == label;
            pTarget = p[label];
            int above = 0; // classes strictly more probable than the target: ties count in its favour
            for (double v : p) {
                if (v > pTarget) {
                    above++;
                }
            }
            top5Ok = above < 5;
            featDist = identityDistance(f, label);
            int[] others = lineupDistractors(label);
            if (others.length > 0) {
                boolean ok = true;
                for (int o : others) {
                    ok &= featDist < identityDistance(f, o);
                }
                lineup = ok;
            }
        }
        return new TargetMetrics(label, train.classNames().get(label), nearest,
                nearestMse, ImageSimilarity.psnrFromMse(nearestMse), ImageSimilarity.ssim(x, trainPixels[nearest], c, h, w),
                mseMean, ImageSimilarity.psnrFromMse(mseMean), ImageSimilarity.ssim(x, mean, c, h, w),
                top1, top1Ok, top5Ok, pTarget, featDist, lineup);
    }

    /**
     * The lineup's distractors for a target: up to {@link #LINEUP_SIZE} - 1 other identities of the
     * training set, drawn without replacement from a generator seeded by (seed, label) only.
     */
    public int[] lineupDistractors(int label) {
        int[] others = Arrays.stream(identities).filter(l -> l != label).toArray();
        int k = Math.min(LINEUP_SIZE - 1, others.length);
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (label + 1L)));
        for (int i = 0; i < k; i++) { // partial Fisher-Yates
            int j = i + rng.nextInt(others.length - i);
            int t = others[i];
            others[i] = others[j];
            others[j] = t;
        }
        return Arrays.copyOf(others, k);
    }

    /** Minimum squared L2 distance from a feature vector to the features of one identity's training images. */
    private double identityDistance(double[] f, int label) {
        double best = Double.POSITIVE_INFINITY;
        for (int idx : train.indicesOf(label)) {
            double[] g = trainFeatures[idx];
            double d = 0;
            for (int k = 0; k < f.length; k++) {
                double diff = f[k] - g[k];
                d += diff * diff;
            }
            best = Math.min(best, d);
        }
        return best;
    }

    private synchronized double[][] trainFeatures() {
        if (trainFeatures == null) {
            long start = System.nanoTime();
            trainFeatures = batched(train.images(), model::features);
            log.debug("evaluation-model features of {} training images in {} ms", trainFeatures.length,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return trainFeatures;
    }

    /** Applies fn in batches of BATCH images and returns the [n, d] results as double rows. */
    private static double[][] batched(INDArray images, UnaryOperator<INDArray> fn) {
        long n = images.size(0);
        double[][] out = new double[(int) n][];
        for (long from = 0; from < n; from += BATCH) {
            long to = Math.min(n, from + BATCH);
            INDArray batch = images.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()).dup();
            double[][] r = rows(fn.apply(batch));
            System.arraycopy(r, 0, out, (int) from, r.length);
        }
        return out;
    }

    /** Each example of an [n, ...] tensor flattened to a double row (c order). */
    private static double[][] rows(INDArray a) {
        int n = (int) a.size(0);
        INDArray flat = a.reshape('c', n, a.length() / Math.max(n, 1)).castTo(DataType.DOUBLE);
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = flat.getRow(i).dup().data().asDouble();
        }
        return out;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
