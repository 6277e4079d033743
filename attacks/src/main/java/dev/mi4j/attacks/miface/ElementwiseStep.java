package dev.mi4j.attacks.miface;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MI-Face's per-step element-wise work in one pass over the tensors' buffers instead of one ND4J
 * op per pass. Every ND4J op costs a native call and an OpenMP wake-up (tens of microseconds with
 * the launcher's passive wait policy) on top of its memory traffic; the step's update, clamp and
 * finiteness test were five of them. Here:
 * <ul>
 *   <li>{@link #updateAndClamp}: {@code x = min(max(x - lambda * g, 0), 1)} in one pass and, when
 *       {@code |lambda| > 1}, per row whether {@code x - lambda * g} was finite. The arithmetic is ND4J's: {@code lambda}
 *       rounded to the tensor's type, {@code lambda * g} rounded, then the subtraction rounded (Java
 *       never fuses a multiply and an add), so the iterates are bitwise those of the four ops
 *       (scale, subtract, max, min) it replaces, infinities included (a NaN differs: Java's
 *       min/max keep it where ND4J's give 0; MiFace never steps a target whose gradient is not
 *       finite);</li>
 *   <li>{@link #finiteRows}: one read-only pass, exact per row (ND4J needs a sum reduction, and a
 *       per-row pass after it when the sum is not finite).</li>
 * </ul>
 * The buffers are walked in chunks copied to small Java arrays (bulk copies are memcpy; the JIT
 * vectorises the array loop, which it does not do on a direct buffer): measured with the launcher's
 * settings, 40 AT&T-sized targets 0.17 ms against 0.49 ms for the four ops, one target 0.005 ms
 * against 0.11 ms (BENCHMARKS.md). Only for dense row-major FLOAT or DOUBLE tensors
 * ({@link #contiguous}); the caller keeps ND4J's ops for anything else.
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
        private double[] gd;

        float[] xf() {
            return xf == null ? xf = new float[CHUNK] : xf;
        }

        float[] gf() {
            return gf == null ? gf = new float[CHUNK] : gf;
        }

        double[] xd() {
            return xd == null ? xd = new double[CHUNK] : xd;
        }

        double[] gd() {
            return gd == null ? gd = new double[CHUNK] : gd;
        }
    }

    private ElementwiseStep() {
    }

    /** A dense row-major FLOAT or DOUBLE tensor of rank >= 2, whose buffer the loops may walk. */
    static boolean contiguous(INDArray x) {
        return x.rank() >= 2 && (x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE)
                && dev.mi4j.core.model.backprop.Tensors.hasCStrides(x)
                && x.offset() + x.length() <= x.data().length() && x.offset() + x.length() <= Integer.MAX_VALUE;
    }

    /** True when {@link #updateAndClamp} applies to this pair. */
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
                    for (int j = 0; j < len; j++) {
                        bad |= Double.isFinite(a[j]) ? 0 : 1;
                    }
                }
            }
            ok[k] = bad == 0;
        }
        return ok;
    }

    /**
     * x = clamp(x - lambda * g, 0, 1) in place; per row whether x - lambda * g was finite before
     * the clamp (which would turn an infinity into a valid-looking pixel). g is left unchanged.
     */
    static boolean[] updateAndClamp(INDArray x, INDArray g, double lambda) {
        Scratch s = SCRATCH.get();
        int m = (int) x.size(0);
        int row = (int) (x.length() / m);
        int xBase = (int) x.offset();
        int gBase = (int) g.offset();
        boolean[] ok = new boolean[m];
        boolean isFloat = x.dataType() == DataType.FLOAT;
        FloatBuffer xfb = isFloat ? x.data().asNioFloat() : null;
        FloatBuffer gfb = isFloat ? g.data().asNioFloat() : null;
        DoubleBuffer xdb = isFloat ? null : x.data().asNioDouble();
        DoubleBuffer gdb = isFloat ? null : g.data().asNioDouble();
        float lamF = (float) lambda;
        // lambda <= 1: x - lambda * g cannot overflow (x in [0, 1], g finite: MiFace checks it when
        // computed, so |lambda * g| <= |g| <= the largest finite value); no test needed.
        boolean check = !(Math.abs(lambda) <= 1);
        for (int k = 0; k < m; k++) {
            int bad = 0;
            for (int from = 0; from < row; from += CHUNK) {
                int len = Math.min(CHUNK, row - from);
                int xi = xBase + k * row + from;
                int gi = gBase + k * row + from;
                if (isFloat) {
                    float[] xa = s.xf();
                    float[] ga = s.gf();
                    xfb.get(xi, xa, 0, len);
                    gfb.get(gi, ga, 0, len);
                    if (check) {
                        for (int j = 0; j < len; j++) {
                            xa[j] = xa[j] - lamF * ga[j];
                        }
                        bad |= nonFinite(xa, len);
                        for (int j = 0; j < len; j++) {
                            xa[j] = Math.min(Math.max(xa[j], 0f), 1f);
                        }
                    } else {
                        // The loop the JIT vectorises; a test inside it would stop that (measured 6x slower).
                        for (int j = 0; j < len; j++) {
                            xa[j] = Math.min(Math.max(xa[j] - lamF * ga[j], 0f), 1f);
                        }
                    }
                    xfb.put(xi, xa, 0, len);
                } else {
                    double[] xa = s.xd();
                    double[] ga = s.gd();
                    xdb.get(xi, xa, 0, len);
                    gdb.get(gi, ga, 0, len);
                    for (int j = 0; j < len; j++) {
                        xa[j] = xa[j] - lambda * ga[j];
                    }
                    if (check) {
                        for (int j = 0; j < len; j++) {
                            bad |= Double.isFinite(xa[j]) ? 0 : 1;
                        }
                    }
                    for (int j = 0; j < len; j++) {
                        xa[j] = Math.min(Math.max(xa[j], 0.0), 1.0);
                    }
                    xdb.put(xi, xa, 0, len);
                }
            }
            ok[k] = bad == 0;
        }
        return ok;
    }
}
