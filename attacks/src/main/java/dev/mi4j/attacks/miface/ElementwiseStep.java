package dev.mi4j.attacks.miface;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import dev.mi4j.core.model.backprop.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MI-Face's per-iteration element-wise work in one pass over the tensors' buffers instead of one
 * ND4J op per pass. Every ND4J op costs a native call and an OpenMP wake-up (tens of microseconds
 * with the launcher's passive wait policy) on top of its memory traffic; the iteration's copy of
 * the improved iterates, gradient finiteness test, update, clamp and overflow test were six of
 * them. Here:
 * <ul>
 *   <li>{@link #keepBestAndStep}: reads each iterate once to copy it into the best-iterate buffer
 *       when it improved and to step it: {@code x = min(max(x - lambda * g, 0), 1)}, with per row
 *       whether g was finite and, when {@code |lambda| > 1}, whether {@code x - lambda * g} was.
 *       The arithmetic is ND4J's: {@code lambda} rounded to the tensor's type, {@code lambda * g}
 *       rounded, then the subtraction rounded (Java never fuses a multiply and an add), so the
 *       iterates are bitwise those of the four ops (scale, subtract, max, min) it replaces,
 *       infinities included (a NaN differs: Java's min/max keep it where ND4J's give 0; MiFace
 *       drops a target whose gradient is not finite);</li>
 *   <li>{@link #finiteRows}: one read-only pass, exact per row (ND4J needs a sum reduction, and a
 *       per-row pass after it when the sum is not finite).</li>
 * </ul>
 * The buffers are walked in chunks copied to small Java arrays (bulk copies are memcpy; the JIT
 * vectorises the array loop, which it does not do on a direct buffer). BENCHMARKS.md has the
 * measurements. Only for dense row-major FLOAT or DOUBLE tensors ({@link #contiguous}); the
 * caller keeps ND4J's ops for anything else.
 */
final class ElementwiseStep {

    /** Elements per chunk: two chunks of floats stay within a core's L1/L2 cache. */
    static final int CHUNK = 4096;

    /** Each thread's chunk arrays, allocated once, so that a step allocates nothing. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        private float[] xf;
        private float[] gf;
        private double[] xd;

        float[] xf() {
            return xf == null ? xf = new float[CHUNK] : xf;
        }

        float[] gf() {
            return gf == null ? gf = new float[CHUNK] : gf;
        }

        double[] xd() {
            return xd == null ? xd = new double[CHUNK] : xd;
        }
    }

    private ElementwiseStep() {
    }

    /** A dense row-major FLOAT or DOUBLE tensor of rank >= 2, whose buffer the loops may walk. */
    static boolean contiguous(INDArray x) {
        return x.rank() >= 2 && Tensors.javaReadable(x);
    }

    /** True when the loops may walk x and g together: same length, type and rows, both {@link #contiguous}. */
    static boolean fits(INDArray x, INDArray g) {
        return x.length() == g.length() && x.dataType() == g.dataType() && x.size(0) == g.size(0)
                && contiguous(x) && contiguous(g);
    }

    /** 1 when one of a[0..len) is an infinity or a NaN (exponent bits all ones), else 0. */
    private static int nonFinite(float[] a, int len) {
        int bad = 0;
        for (int j = 0; j < len; j++) {
            bad |= (Float.floatToRawIntBits(a[j]) & 0x7f800000) == 0x7f800000 ? 1 : 0;
        }
        return bad;
    }

    /** 1 when one of a[0..len) is an infinity or a NaN, else 0. */
    private static int nonFinite(double[] a, int len) {
        int bad = 0;
        for (int j = 0; j < len; j++) {
            bad |= (Double.doubleToRawLongBits(a[j]) & 0x7ff0000000000000L) == 0x7ff0000000000000L ? 1 : 0;
        }
        return bad;
    }

    /** Per row of [m, ...]: true when every value is finite. */
    static boolean[] finiteRows(INDArray x) {
        Scratch s = SCRATCH.get();
        int m = (int) x.size(0);
        int row = (int) (x.length() / m);
        int base = (int) x.offset();
        boolean[] ok = new boolean[m];
        boolean isFloat = x.dataType() == DataType.FLOAT;
        FloatBuffer fb = isFloat ? x.data().asNioFloat() : null;
        DoubleBuffer db = isFloat ? null : x.data().asNioDouble();
        for (int k = 0; k < m; k++) {
            int bad = 0;
            for (int from = 0; from < row; from += CHUNK) {
                int len = Math.min(CHUNK, row - from);
                int at = base + k * row + from;
                if (isFloat) {
                    float[] a = s.xf();
                    fb.get(at, a, 0, len);
                    bad |= nonFinite(a, len);
                } else {
                    double[] a = s.xd();
                    db.get(at, a, 0, len);
                    bad |= nonFinite(a, len);
                }
            }
            ok[k] = bad == 0;
        }
        return ok;
    }

    /**
     * MI-Face's per-iteration pass over the iterates, one read of each: for every row k,
     * <ul>
     *   <li>when {@code improved[k]}: x_k is copied into row k of {@code best};</li>
     *   <li>when {@code step[k]}: {@code gradOk[k]} is set to whether g_k is finite, then
     *       x_k = clamp(x_k - lambda * g_k, 0, 1) in place, and {@code nextOk[k]} to whether
     *       x_k - lambda * g_k was finite before the clamp (which would turn an infinity into a
     *       valid-looking pixel; tested only when |lambda| &gt; 1, see below);</li>
     *   <li>other rows are not touched.</li>
     * </ul>
     * A row whose gradient is not finite is stepped all the same (the caller drops it). g is left
     * unchanged. FLOAT tensors (the attack's type): returns false, doing nothing, for other types
     * or a tensor the loops cannot walk ({@link #fits}); the caller then does the same with ND4J's ops.
     */
    static boolean keepBestAndStep(INDArray x, INDArray g, INDArray best, boolean[] improved, boolean[] step,
                                   double lambda, boolean[] gradOk, boolean[] nextOk) {
        if (x.dataType() != DataType.FLOAT || !fits(x, g) || !fits(x, best)) {
            return false;
        }
        int m = (int) x.size(0);
        int row = (int) (x.length() / m);
        // One thread: splitting the rows over the 2 cores of the benchmark machine gave no
        // measurable gain (the pass is bound by moving the iterates and gradients, BENCHMARKS.md).
        // |lambda| <= 1: x - lambda * g cannot overflow (x in [0, 1], and a row is only kept when
        // its g is finite, so |lambda * g| <= |g| <= the largest finite value); no test needed.
        boolean check = !(Math.abs(lambda) <= 1);
        Scratch s = SCRATCH.get();
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer gb = g.data().asNioFloat();
        FloatBuffer bb = best.data().asNioFloat();
        int xo = (int) x.offset();
        int go = (int) g.offset();
        int bo = (int) best.offset();
        float[] xa = s.xf();
        float[] ga = s.gf();
        float lamF = (float) lambda;
        for (int k = 0; k < m; k++) {
            if (!improved[k] && !step[k]) {
                continue;
            }
            int badG = 0;
            int badX = 0;
            for (int from = 0; from < row; from += CHUNK) {
                int len = Math.min(CHUNK, row - from);
                int at = k * row + from;
                xb.get(xo + at, xa, 0, len);
                if (improved[k]) {
                    bb.put(bo + at, xa, 0, len);
                }
                if (!step[k]) {
                    continue;
                }
                gb.get(go + at, ga, 0, len);
                badG |= nonFinite(ga, len);
                if (check) {
                    for (int j = 0; j < len; j++) {
                        xa[j] = xa[j] - lamF * ga[j];
                    }
                    badX |= nonFinite(xa, len);
                    for (int j = 0; j < len; j++) {
                        xa[j] = Math.min(Math.max(xa[j], 0f), 1f);
                    }
                } else {
                    // The loop the JIT vectorises; a test inside it would stop that (measured 6x slower).
                    for (int j = 0; j < len; j++) {
                        xa[j] = Math.min(Math.max(xa[j] - lamF * ga[j], 0f), 1f);
                    }
                }
                xb.put(xo + at, xa, 0, len);
            }
            if (step[k]) {
                gradOk[k] = badG == 0;
                nextOk[k] = badX == 0;
            }
        }
        return true;
    }
}
