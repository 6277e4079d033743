package dev.mi4j.core.model.backprop;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Small array helpers the engines and the classifier adapter share. */
public final class Tensors {

    private Tensors() {
    }

    /**
     * True for a c-order array that is its whole buffer, in order: offset 0, as long as its
     * buffer, c strides (any stride on a size-1 dimension). A reshape of such an array is one too
     * (ND4J flags it as a view all the same); a sub-batch, a permutation or an f-order array is not.
     * (ND4J's Shape.hasDefaultStridesForShape says false for [n, 1, h, w] arrays with c strides.)
     */
    public static boolean isPlainBlock(INDArray x) {
        return x.offset() == 0 && x.data().length() == x.length() && hasCStrides(x);
    }

    /**
     * True for a c-order array whose elements lie in order, without gaps, from its offset on (any
     * stride on a size-1 dimension): a loop may walk {@code x.length()} buffer elements from the offset.
     */
    public static boolean hasCStrides(INDArray x) {
        if (x.ordering() != 'c') {
            return false;
        }
        long[] shape = x.shape();
        long[] stride = x.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The rows of an [n, k] matrix as doubles; a single bulk read for a plain c-order array (toDoubleMatrix copies per row). */
    public static double[][] rows(INDArray m, int n, int k) {
        INDArray c = isPlainBlock(m) ? m : m.dup('c');
        double[] flat = c.data().asDouble();
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) {
            r[i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
        }
        return r;
    }

    /** {@code current} when it has the given type and shape, else a new c-order array of that shape. */
    static INDArray reuse(INDArray current, DataType type, long... shape) {
        return current != null && current.dataType() == type && Arrays.equals(current.shape(), shape)
                ? current : Nd4j.create(type, shape, 'c');
    }

    /**
     * Runs a libnd4j op; into its previous output {@code out} when there is one (same batch
     * size, so the same output shape), else into a newly allocated output that is returned.
     */
    static INDArray exec(String op, INDArray[] inputs, int[] args, INDArray out) {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder(op).addInputs(inputs).addIntegerArguments(args);
        if (out != null) {
            b.addOutputs(out);
        }
        INDArray[] r = Nd4j.exec(b.build());
        return out != null ? out : r[0];
    }
}
