package dev.mi4j.defenses.output;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Row-wise copies between [n, k] tensors and Java arrays: policies work on small matrices. */
final class Rows {

    private Rows() {
    }

    static double[][] of(INDArray matrix) {
        if (matrix.rank() != 2) {
            throw new IllegalArgumentException("probabilities must be [n, k], got shape "
                    + java.util.Arrays.toString(matrix.shape()));
        }
        return matrix.toDoubleMatrix();
    }

    static INDArray to(double[][] rows, DataType type) {
        return Nd4j.create(rows).castTo(type);
    }
}
