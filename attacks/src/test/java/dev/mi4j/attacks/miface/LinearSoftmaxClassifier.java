package dev.mi4j.attacks.miface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Test fake: p = softmax(W x + b) with a fixed seeded W, computed in double precision (so that
 * batched and one-by-one runs differ by float rounding of the returned values only), with the
 * analytic input gradient of every objective.
 */
final class LinearSoftmaxClassifier implements DifferentiableClassifier {

    private final ImageShape shape;
    private final INDArray w;      // [K, d]
    private final INDArray b;      // [K]
    private final INDArray wCopy;
    private final INDArray bCopy;
    private long queries;
    final List<Integer> batchSizes = new ArrayList<>();

    LinearSoftmaxClassifier(ImageShape shape, int classes, long seed, double weightScale) {
        this.shape = shape;
        Nd4j.getRandom().setSeed(seed);
        this.w = Nd4j.randn(DataType.DOUBLE, classes, shape.size()).muli(weightScale);
        this.b = Nd4j.randn(DataType.DOUBLE, classes).muli(0.1);
        this.wCopy = w.dup();
        this.bCopy = b.dup();
    }

    @Override
    public int numClasses() {
        return (int) w.size(0);
    }

    @Override
    public ImageShape inputShape() {
        return shape;
    }

    private INDArray logits(INDArray images) {
        long m = images.size(0);
        INDArray x = images.castTo(DataType.DOUBLE).reshape(m, shape.size());
        return x.mmul(w.transpose()).addiRowVector(b);
    }

    private static INDArray softmax(INDArray z) {
        INDArray e = Transforms.exp(z.subColumnVector(z.max(1).reshape(z.size(0), 1)), true);
        return e.diviColumnVector(e.sum(1).reshape(z.size(0), 1));
    }

    @Override
    public INDArray predict(INDArray images) {
        queries += images.size(0);
        batchSizes.add((int) images.size(0));
        return softmax(logits(images)).castTo(images.dataType());
    }

    @Override
    public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
        int m = (int) images.size(0);
        assertEquals(m, targets.length, "one target per image");
        queries += m;
        batchSizes.add(m);
        INDArray z = logits(images);
        INDArray p = softmax(z);
        INDArray onehot = Nd4j.zeros(DataType.DOUBLE, m, numClasses());
        for (int k = 0; k < m; k++) {
            onehot.putScalar(k, targets[k], 1.0);
        }
        INDArray wt = onehot.mmul(w);                                 // W_t per row
        INDArray pt = p.mul(onehot).sum(1).reshape(m, 1);
        INDArray zt = z.mul(onehot).sum(1).reshape(m, 1);
        INDArray cost;
        INDArray grad;
        switch (objective) {
            case ONE_MINUS_P:
                cost = pt.rsub(1.0);
                grad = wt.sub(p.mmul(w)).muliColumnVector(pt).negi();   // -p_t (W_t - p W)
                break;
            case NEG_LOG_P:
                cost = Transforms.log(pt, true).negi();
                grad = wt.sub(p.mmul(w)).negi();                     // -(W_t - p W)
                break;
            case NEG_LOGIT:
                cost = zt.neg();
                grad = wt.neg();
                break;
            case MARGIN: {
                INDArray others = z.add(onehot.mul(-1e300));
                INDArray jStar = others.argMax(1);
                INDArray onehotJ = Nd4j.zeros(DataType.DOUBLE, m, numClasses());
                for (int k = 0; k < m; k++) {
                    onehotJ.putScalar(k, jStar.getLong(k), 1.0);
                }
                cost = z.mul(onehotJ).sum(1).reshape(m, 1).subi(zt);
                grad = onehotJ.mmul(w).subi(wt);
                break;
            }
            default:
                throw new IllegalArgumentException("objective " + objective);
        }
        DataType dt = images.dataType();
        return new InputGradient(cost.reshape(m).castTo(dt), p.castTo(dt),
                grad.reshape(shape.batchShape(m)).castTo(dt));
    }

    /** Objective value of one image [c, h, w] for a label, in double precision. */
    double cost(INDArray image, int label, Objective objective) {
        INDArray batch = image.reshape(1, shape.channels(), shape.height(), shape.width());
        long before = queries;
        double c = inputGradient(batch, new int[] {label}, objective).cost().getDouble(0);
        queries = before;
        batchSizes.remove(batchSizes.size() - 1);
        return c;
    }

    double probability(INDArray image, int label) {
        INDArray batch = image.reshape(1, shape.channels(), shape.height(), shape.width());
        return softmax(logits(batch)).getDouble(0, label);
    }

    @Override
    public INDArray features(INDArray images) {
        return images.castTo(DataType.DOUBLE).reshape(images.size(0), shape.size());
    }

    @Override
    public long queryCount() {
        return queries;
    }

    @Override
    public void resetQueryCount() {
        queries = 0;
    }

    /** The model's state (weights) must never change under an attack. */
    void assertUnchanged() {
        assertEquals(wCopy, w, "W modified");
        assertEquals(bCopy, b, "b modified");
    }
}
