package dev.mi4j.core.testing;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import dev.mi4j.core.model.Objectives;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test fake: p = softmax(W x + b) with seeded Gaussian W, b, computed in double precision (so
 * that batched and one-by-one runs differ by float rounding of the returned values only). The
 * objective's cost and d cost / d logits come from {@link Objectives}, the input gradient is
 * (d cost / d logits) W. Counts images; records every call's batch size, and predict calls apart.
 */
public final class LinearSoftmaxModel implements DifferentiableClassifier {

    private final ImageShape shape;
    private final int k;
    private final double[][] w;
    private final double[] b;
    private long queries;
    private final List<Integer> batchSizes = new ArrayList<>();
    private final List<Integer> predictBatches = new ArrayList<>();

    /** W and b Gaussian with standard deviation {@code scale}, from java.util.Random(seed) (row by row, each row's bias after its weights). */
    public LinearSoftmaxModel(ImageShape shape, int k, double scale, long seed) {
        this.shape = shape;
        this.k = k;
        Random random = new Random(seed);
        int d = shape.size();
        w = new double[k][d];
        b = new double[k];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < d; i++) {
                w[j][i] = scale * random.nextGaussian();
            }
            b[j] = scale * random.nextGaussian();
        }
    }

    private LinearSoftmaxModel(ImageShape shape, double[][] w, double[] b) {
        this.shape = shape;
        this.k = w.length;
        this.w = w;
        this.b = b;
    }

    /**
     * W ~ N(0, weightScale^2) and b ~ N(0, 0.01) from ND4J's generator seeded with {@code seed}
     * (the weights MiFace's linear-model tests were written against).
     */
    public static LinearSoftmaxModel nd4jSeeded(ImageShape shape, int classes, long seed, double weightScale) {
        Nd4j.getRandom().setSeed(seed);
        double[][] w = Nd4j.randn(DataType.DOUBLE, classes, shape.size()).muli(weightScale).toDoubleMatrix();
        double[] b = Nd4j.randn(DataType.DOUBLE, classes).muli(0.1).toDoubleVector();
        return new LinearSoftmaxModel(shape, w, b);
    }

    /** Uniform [0, 1] images, seeded. */
    public static INDArray images(ImageShape shape, int n, long seed, DataType type) {
        Random random = new Random(seed);
        double[] v = new double[n * shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextDouble();
        }
        return Nd4j.createFromArray(v).reshape(shape.batchShape(n)).castTo(type);
    }

    private double[] logits(double[] x) {
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            double s = b[j];
            for (int i = 0; i < x.length; i++) {
                s += w[j][i] * x[i];
            }
            z[j] = s;
        }
        return z;
    }

    private double[][] flat(INDArray images) {
        return images.castTo(DataType.DOUBLE).reshape('c', images.size(0), shape.size()).toDoubleMatrix();
    }

    @Override
    public INDArray predict(INDArray images) {
        double[][] x = flat(images);
        queries += x.length;
        batchSizes.add(x.length);
        predictBatches.add(x.length);
        double[][] p = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            p[i] = Objectives.softmax(logits(x[i]));
        }
        return Nd4j.create(p).castTo(images.dataType());
    }

    @Override
    public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
        double[][] x = flat(images);
        if (targets.length != x.length) {
            throw new IllegalArgumentException("targets: " + targets.length + " labels for " + x.length + " images");
        }
        queries += x.length;
        batchSizes.add(x.length);
        double[][] z = new double[x.length][];
        for (int n = 0; n < x.length; n++) {
            z[n] = logits(x[n]);
        }
        Objectives.Evaluation e = Objectives.evaluate(objective, z, targets);
        int d = shape.size();
        double[] grad = new double[x.length * d];
        for (int n = 0; n < x.length; n++) {
            for (int j = 0; j < k; j++) {
                double dz = e.dLogits()[n][j];
                if (dz != 0) {
                    for (int i = 0; i < d; i++) {
                        grad[n * d + i] += dz * w[j][i];
                    }
                }
            }
        }
        DataType type = images.dataType();
        return new InputGradient(Nd4j.createFromArray(e.cost()).castTo(type), Nd4j.create(e.probabilities()).castTo(type),
                Nd4j.createFromArray(grad).reshape(shape.batchShape(x.length)).castTo(type));
    }

    /** Objective value of one image [c, h, w] for a label, in double precision; not counted as a query. */
    public double cost(INDArray image, int label, Objective objective) {
        return Objectives.cost(objective, logits(flat(image.reshape(shape.batchShape(1)))[0]), label);
    }

    /** p_label of one image [c, h, w], in double precision; not counted as a query. */
    public double probability(INDArray image, int label) {
        return Objectives.softmax(logits(flat(image.reshape(shape.batchShape(1)))[0]))[label];
    }

    @Override
    public INDArray features(INDArray images) {
        return images.reshape('c', images.size(0), shape.size()).dup();
    }

    @Override
    public int numClasses() {
        return k;
    }

    @Override
    public ImageShape inputShape() {
        return shape;
    }

    @Override
    public long queryCount() {
        return queries;
    }

    @Override
    public void resetQueryCount() {
        queries = 0;
    }

    /** Batch size of every call (predict and inputGradient), in order. */
    public List<Integer> batchSizes() {
        return batchSizes;
    }

    /** Batch size of every predict call, in order. */
    public List<Integer> predictBatches() {
        return predictBatches;
    }

    public int predictCalls() {
        return predictBatches.size();
    }

    /** Cosine similarity between two tensors, flattened. */
    public static double cosine(INDArray a, INDArray b) {
        double[] x = a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double[] y = b.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }
}
