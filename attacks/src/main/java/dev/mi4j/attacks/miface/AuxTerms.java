package dev.mi4j.attacks.miface;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The built-in auxiliary terms; reach them through {@link AuxTerm}'s factory methods. */
final class AuxTerms {

    static final AuxTerm NONE = new AuxTerm() {
        @Override
        public INDArray cost(INDArray batch) {
            return Nd4j.zeros(batch.dataType(), batch.size(0));
        }

        @Override
        public INDArray gradient(INDArray batch) {
            return Nd4j.zeros(batch.dataType(), batch.shape());
        }

        @Override
        public String name() {
            return "none";
        }
    };

    private AuxTerms() {
    }

    private static double checkWeight(double weight) {
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
        }
        return weight;
    }

    /** weight * ||x||^2 per image; gradient 2 * weight * x. */
    static final class L2 implements AuxTerm {
        private final double weight;

        L2(double weight) {
            this.weight = checkWeight(weight);
        }

        @Override
        public INDArray cost(INDArray batch) {
            long n = batch.size(0);
            return batch.reshape(n, -1).mul(batch.reshape(n, -1)).sum(1).muli(weight);
        }

        @Override
        public INDArray gradient(INDArray batch) {
            return batch.mul(2 * weight);
        }

        @Override
        public String name() {
            return "l2(" + weight + ")";
        }
    }

    /**
     * Squared (smooth) total variation: weight * sum over pixels of (x[h][w+1] - x[h][w])^2 +
     * (x[h+1][w] - x[h][w])^2, per image and channel. Smooth, so plain gradient descent handles it.
     */
    static final class TotalVariation implements AuxTerm {
        private final double weight;

        TotalVariation(double weight) {
            this.weight = checkWeight(weight);
        }

        @Override
        public INDArray cost(INDArray batch) {
            long n = batch.size(0);
            INDArray total = Nd4j.zeros(batch.dataType(), n);
            INDArray dx = diff(batch, 3);
            if (dx != null) {
                total.addi(dx.muli(dx).reshape(n, -1).sum(1));
            }
            INDArray dy = diff(batch, 2);
            if (dy != null) {
                total.addi(dy.muli(dy).reshape(n, -1).sum(1));
            }
            return total.muli(weight);
        }

        @Override
        public INDArray gradient(INDArray batch) {
            INDArray grad = Nd4j.zeros(batch.dataType(), batch.shape());
            for (int axis : new int[] {2, 3}) {
                INDArray d = diff(batch, axis);
                if (d == null) {
                    continue;
                }
                // d/dx of (x[j+1] - x[j])^2 is +2d at j+1 and -2d at j.
                d.muli(2 * weight);
                long len = batch.size(axis);
                grad.get(range(axis, 1, len)).addi(d);
                grad.get(range(axis, 0, len - 1)).subi(d);
            }
            return grad;
        }

        /** x[.., j+1] - x[.., j] along axis 2 (height) or 3 (width); null when that axis has one pixel. */
        private static INDArray diff(INDArray batch, int axis) {
            long len = batch.size(axis);
            if (len < 2) {
                return null;
            }
            return batch.get(range(axis, 1, len)).sub(batch.get(range(axis, 0, len - 1)));
        }

        private static INDArrayIndex[] range(int axis, long from, long to) {
            INDArrayIndex[] idx = new INDArrayIndex[] {
                NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()};
            idx[axis] = NDArrayIndex.interval(from, to);
            return idx;
        }

        @Override
        public String name() {
            return "tv(" + weight + ")";
        }
    }
}
