package dev.mi4j.experiments.bench;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's sgemm rate on given shapes, measured in the calling process: a dense layer's forward and
 * input-gradient backward are one GEMM each, so these are the step's own GEMMs timed alone, with
 * the operands laid out as the step has them (DL4J's weights in 'f' order, activations and results
 * in 'c' order; the forward takes the weights as the transpose of a 'c'-order matrix, as the fast
 * engine's dense step does). It is
 * not a floor: small shapes run far below the machine's peak, and a step that overlaps or fuses
 * work can beat them; {@link Roofline} is the floor.
 */
public final class SameShapeGemm {

    /** Median time and rate of one GEMM [m x k] * [k x n] (or its transpose-B form). */
    public record Rate(int m, int k, int n, boolean transposeB, double medianMillis, double gflops, double minMillis) {
    }

    private SameShapeGemm() {
    }

    public static Rate measure(int m, int k, int n, boolean transposeB, int warmup, int reps) {
        Operands g = new Operands(m, k, n, transposeB);
        double[] t = new double[reps];
        for (int i = 0; i < warmup + reps; i++) {
            long ns = g.run();
            if (i >= warmup) {
                t[i - warmup] = ns / 1e6;
            }
        }
        double med = median(t);
        return new Rate(m, k, n, transposeB, med, 2.0 * m * k * n / (med / 1e3) / 1e9, Arrays.stream(t).min().orElse(Double.NaN));
    }

    /** The operands of one such GEMM, made once (seeded random values): {@link #run} times one call. */
    public static final class Operands {
        private final INDArray a;
        private final INDArray b;
        private final INDArray c;

        public Operands(int m, int k, int n, boolean transposeB) {
            Nd4j.getRandom().setSeed(1);
            a = Nd4j.rand(DataType.FLOAT, m, k);
            // The weight matrix as DL4J stores it, 'f' order: [k, n] for a forward, [n, k] for a backward.
            INDArray w = transposeB ? Nd4j.rand(DataType.FLOAT, n, k).dup('f') : Nd4j.rand(DataType.FLOAT, k, n).dup('f');
            b = transposeB ? w : w.transpose();   // forward: x * (W^T)^T, W^T a 'c'-order view
            c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'c');
        }

        /** One GEMM; its wall time in nanoseconds. */
        public long run() {
            long s = System.nanoTime();
            Nd4j.gemm(a, b, c, false, true, 1.0, 0.0);
            return System.nanoTime() - s;
        }
    }

    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
