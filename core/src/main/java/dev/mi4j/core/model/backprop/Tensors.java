package dev.mi4j.core.model.backprop;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
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
        return x.ordering() == 'c' && cContiguous(x);
    }

    /** The strides of a dense c-order layout (any stride on a size-1 dimension), whatever the order flag says. */
    private static boolean cContiguous(INDArray x) {
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

    /**
     * True when {@code view} reads the memory of {@code src} (a reshape or permutation that did not
     * copy). ND4J gives a reshape's result a buffer object of its own over the same memory (its
     * original buffer is src's), a permutation src's buffer itself; a copy shares neither.
     */
    static boolean sharesMemory(INDArray view, INDArray src) {
        DataBuffer v = view.data();
        DataBuffer s = src.data();
        return v == s || v.originalDataBuffer() == s || (v.originalDataBuffer() != null
                && v.originalDataBuffer() == s.originalDataBuffer()) || v.address() == s.address();
    }

    /**
     * The rows of an [n, k] matrix as doubles: one bulk read of a c-order FLOAT or DOUBLE array
     * (ND4J's asDouble and toDoubleMatrix read element by element, ~80 us for 40 x 40 logits).
     */
    public static double[][] rows(INDArray m, int n, int k) {
        double[][] r = new double[n][k];
        if (javaReadable(m) && m.length() == (long) n * k) {
            int base = (int) m.offset();
            if (m.dataType() == DataType.FLOAT) {
                FloatBuffer fb = m.data().asNioFloat();
                float[] row = new float[k];
                for (int i = 0; i < n; i++) {
                    fb.get(base + i * k, row, 0, k);
                    for (int j = 0; j < k; j++) {
                        r[i][j] = row[j];
                    }
                }
            } else {
                DoubleBuffer db = m.data().asNioDouble();
                for (int i = 0; i < n; i++) {
                    db.get(base + i * k, r[i], 0, k);
                }
            }
            return r;
        }
        INDArray c = isPlainBlock(m) ? m : m.dup('c');
        double[] flat = c.data().asDouble();
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * k, r[i], 0, k);
        }
        return r;
    }

    /**
     * z += b on every row of an [n, k] matrix z, b a row vector of k; for FLOAT arrays the loops can
     * walk, in Java (the same float additions as ND4J's addiRowVector, without its native call and
     * OpenMP wake-up: 150 us for the softmax model's 40 x 40 logits, measured), else with ND4J.
     */
    static void addRowVector(INDArray z, INDArray b) {
        if (z.rank() != 2 || z.dataType() != DataType.FLOAT || b.dataType() != DataType.FLOAT
                || b.length() != z.size(1) || !javaReadable(z) || !javaReadable(b)) {
            z.addiRowVector(b);
            return;
        }
        int k = (int) z.size(1);
        int n = (int) z.size(0);
        int base = (int) z.offset();
        float[] bias = new float[k];
        b.data().asNioFloat().get((int) b.offset(), bias, 0, k);
        float[] row = new float[k];
        FloatBuffer fb = z.data().asNioFloat();
        for (int i = 0; i < n; i++) {
            fb.get(base + i * k, row, 0, k);
            for (int j = 0; j < k; j++) {
                row[j] += bias[j];
            }
            fb.put(base + i * k, row, 0, k);
        }
    }

    /**
     * Arrays up to this many elements get the element-wise ReLU work below in Java: one ND4J op
     * costs ~40-100 us of call and OpenMP wake-up on 2 cores whatever its size (one target's
     * activations: 128 to 164,864 elements); larger batches keep ND4J's ops, which split over cores.
     */
    static final int JAVA_ELEMENTWISE_MAX = 1 << 18;

    /** Elements per chunk copied between the buffers and heap arrays in the element-wise helpers. */
    private static final int CHUNK = 4096;

    /**
     * dst = relu(src) for a plain ReLU (no threshold, slope or cap), in Java, as DL4J's
     * ActivationReLU computes it (libnd4j's RectifiedLinear scalar op, bit for bit: TensorsTest);
     * src and dst may be the same array. False, doing nothing, when the arrays are not FLOAT arrays
     * of the same shape the loops can walk or are larger than {@link #JAVA_ELEMENTWISE_MAX}.
     */
    static boolean relu(INDArray src, INDArray dst) {
        if (!javaElementwise(src, dst)) {
            return false;
        }
        int len = (int) src.length();
        IntBuffer in = src.data().asNio().asIntBuffer();
        IntBuffer out = dst.data().asNio().asIntBuffer();
        int[] a = new int[Math.min(CHUNK, len)];
        for (int from = 0; from < len; from += CHUNK) {
            int l = Math.min(CHUNK, len - from);
            in.get((int) src.offset() + from, a, 0, l);
            for (int j = 0; j < l; j++) {
                a[j] &= ~belowZero(a[j]);
            }
            out.put((int) dst.offset() + from, a, 0, l);
        }
        return true;
    }

    /**
     * dst = eps where x &gt; 0, else 0: a plain ReLU's backward (libnd4j's relu_bp, bit for bit:
     * TensorsTest), with x the ReLU's input or output (both are &gt; 0 at the same places); dst may
     * be x or eps. False, doing nothing, as for {@link #relu}.
     */
    static boolean reluBackward(INDArray x, INDArray eps, INDArray dst) {
        if (!javaElementwise(x, eps) || !javaElementwise(x, dst)) {
            return false;
        }
        int len = (int) x.length();
        IntBuffer xb = x.data().asNio().asIntBuffer();
        IntBuffer eb = eps.data().asNio().asIntBuffer();
        IntBuffer db = dst.data().asNio().asIntBuffer();
        int[] a = new int[Math.min(CHUNK, len)];
        int[] e = new int[a.length];
        for (int from = 0; from < len; from += CHUNK) {
            int l = Math.min(CHUNK, len - from);
            xb.get((int) x.offset() + from, a, 0, l);
            eb.get((int) eps.offset() + from, e, 0, l);
            for (int j = 0; j < l; j++) {
                a[j] = e[j] & aboveZero(a[j]);
            }
            db.put((int) dst.offset() + from, a, 0, l);
        }
        return true;
    }

    // The ReLU loops work on the floats' bits with integer operations only, which the JIT turns
    // into SIMD code: a float comparison per element compiles to a branch, mispredicted about
    // every other element on activations (measured: the ReLUs were 18% of a one-image CNN step).

    /**
     * All ones where the float with bits {@code b} is &lt; 0 (negative, not -0.0, not NaN), else 0:
     * libnd4j's RectifiedLinear keeps v unless v &lt; 0, so -0.0 and NaN pass through.
     */
    private static int belowZero(int b) {
        int magnitude = b & 0x7fffffff;
        return (b >> 31) & (-magnitude >> 31) & ~((0x7f800000 - magnitude) >> 31);
    }

    /** All ones where the float with bits {@code b} is &gt; 0 (positive, not 0.0, not NaN), else 0. */
    private static int aboveZero(int b) {
        return (-b >> 31) & ~((0x7f800000 - b) >> 31);
    }

    private static boolean javaElementwise(INDArray a, INDArray b) {
        return a.dataType() == DataType.FLOAT && b.dataType() == DataType.FLOAT && a.length() == b.length()
                && a.length() <= JAVA_ELEMENTWISE_MAX && Arrays.equals(a.shape(), b.shape())
                && javaReadable(a) && javaReadable(b);
    }

    /**
     * A FLOAT or DOUBLE array whose elements lie in c order without gaps from its offset (strides
     * decide, not the order flag: a DL4J bias is a rank-1 'f' view), inside what its buffer's NIO
     * view maps: Java loops may walk {@code x.length()} elements of {@code x.data().asNioFloat()}
     * (or asNioDouble) from index {@code x.offset()}. That view starts at the start of the
     * original buffer, from which offset() counts; for a view buffer (a parameter of a DL4J layer:
     * its buffer's own offset is the array's) the original's length bounds it.
     */
    public static boolean javaReadable(INDArray x) {
        if (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE || x.isEmpty() || !cContiguous(x)) {
            return false;
        }
        DataBuffer d = x.data();
        long limit;
        if (d.offset() == 0) {
            limit = d.length();
        } else if (d.offset() == x.offset() && d.originalDataBuffer() != null) {
            limit = d.originalDataBuffer().length();
        } else {
            return false;
        }
        return x.offset() + x.length() <= limit && x.offset() + x.length() <= Integer.MAX_VALUE;
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
