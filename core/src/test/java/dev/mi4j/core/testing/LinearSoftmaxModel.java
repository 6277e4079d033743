package dev.mi4j.core.testing;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test fake: p = softmax(W x + b) with seeded Gaussian W, b (scaled), computed in double, with
 * analytic input gradients for every objective. Counts images and predict calls, and records
 * each predict call's batch size.
 */
public final class LinearSoftmaxModel implements DifferentiableClassifier {

    private final ImageShape shape;
    private final int k;
    private final double[][] w;
    private final double[] b;
    private long queries;
    private final List<Integer> predictBatches = new ArrayList<>();

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

    /** Uniform [0, 1] images, seeded. */
    public static INDArray images(ImageShape shape, int n, long seed, DataType type) {
        Random random = new Random(seed);
        double[] v = new double[n * shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextDouble();
        }
        return Nd4j.createFromArray(v).reshape(shape.batchShape(n)).castTo(type);
    }

    double[] logits(double[] x) {
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

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(z[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < z.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    private double[][] flat(INDArray images) {
        return images.reshape('c', images.size(0), shape.size()).toDoubleMatrix();
    }

    @Override
    public INDArray predict(INDArray images) {
        double[][] x = flat(images);
        queries += x.length;
        predictBatches.add(x.length);
        double[][] p = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            p[i] = softmax(logits(x[i]));
        }
        return Nd4j.create(p).castTo(images.dataType());
    }

    @Override
    public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
        double[][] x = flat(images);
        queries += x.length;
        int d = shape.size();
        double[] cost = new double[x.length];
        double[][] probs = new double[x.length][];
        double[] grad = new double[x.length * d];
        for (int n = 0; n < x.length; n++) {
            double[] z = logits(x[n]);
            double[] p = softmax(z);
            probs[n] = p;
            int t = targets[n];
            int rival = -1;
            for (int j = 0; j < k; j++) {
                if (j != t && (rival < 0 || z[j] > z[rival])) {
                    rival = j;
                }
            }
            for (int i = 0; i < d; i++) {
                double mean = 0; // sum_j p_j W_j,i = d logsumexp / dx_i
                for (int j = 0; j < k; j++) {
                    mean += p[j] * w[j][i];
                }
                double dLogPt = w[t][i] - mean;
                grad[n * d + i] = switch (objective) {
                    case ONE_MINUS_P -> -p[t] * dLogPt;
                    case NEG_LOG_P -> -dLogPt;
                    case NEG_LOGIT -> -w[t][i];
                    case MARGIN -> w[rival][i] - w[t][i];
                };
            }
            cost[n] = switch (objective) {
                case ONE_MINUS_P -> 1 - p[t];
                case NEG_LOG_P -> -Math.log(p[t]);
                case NEG_LOGIT -> -z[t];
                case MARGIN -> z[rival] - z[t];
            };
        }
        DataType type = images.dataType();
        return new InputGradient(Nd4j.createFromArray(cost).castTo(type), Nd4j.create(probs).castTo(type),
                Nd4j.createFromArray(grad).reshape(shape.batchShape(x.length)).castTo(type));
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
