package dev.mi4j.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's roofline, measured once per run in the calling process: its peak single-precision
 * GEMM rate (a large square sgemm, best of several repetitions and of the multiplication paths ND4J
 * offers: BLAS {@code gemm} with and without a transposed operand, and the {@code matmul} custom op,
 * which libnd4j routes to oneDNN where its natives have it) and its memory bandwidth (the faster of
 * a large array copy, counted as bytes read plus written, and a large array read: a step
 * that mostly reads, such as a one-row GEMM over a large weight matrix, streams faster than a copy,
 * whose writes also cost a read of the line written; the read is a one-row GEMM over the array). A step can run no faster than {@code max(flops / peak, bytes / bandwidth)}: its
 * roofline time. Unlike {@link SameShapeGemm} (ND4J's rate on the step's own, often small, shapes),
 * these are what the machine can do, so a step's fraction of them is at most 100% up to noise.
 */
public final class Roofline {

    /** One multiplication path's rate on the square problem. */
    public record PathRate(String path, int size, double bestMillis, double gflops) {
    }

    /**
     * @param peakGflops     best GEMM rate of any path (GFLOP/s)
     * @param peakPath       which path reached it
     * @param paths          every path measured
     * @param bandwidthGBs   copy bandwidth, bytes read plus bytes written per second (GB/s)
     * @param copyMiB        size of the copied (and of the read) array
     * @param readGBs        read bandwidth: bytes read per second by a one-row GEMM over the array (GB/s)
     */
    public record Machine(double peakGflops, String peakPath, List<PathRate> paths, double bandwidthGBs, int copyMiB,
                          double readGBs) {

        /** The bandwidth of the memory roofline: the faster of copy and read. */
        public double memoryGBs() {
            return Math.max(bandwidthGBs, Double.isNaN(readGBs) ? 0 : readGBs);
        }

        /** The roofline of a step of this cost. */
        public Bound bound(StepCost cost) {
            return bound(cost.flops(), cost.bytes());
        }

        /** The roofline of a step that does {@code flops} and moves {@code bytes} (at least). */
        public Bound bound(double flops, double bytes) {
            double computeMs = flops / (peakGflops * 1e9) * 1e3;
            double memoryMs = bytes / (memoryGBs() * 1e9) * 1e3;
            return new Bound(flops, bytes, computeMs, memoryMs);
        }
    }

    /**
     * A step's roofline.
     *
     * @param computeMs time at the peak GEMM rate
     * @param memoryMs  time at the machine's memory bandwidth ({@link Machine#memoryGBs})
     */
    public record Bound(double flops, double bytes, double computeMs, double memoryMs) {

        /** The roofline time: the slower of the two limits. */
        public double floorMs() {
            return Math.max(computeMs, memoryMs);
        }

        /** "compute" or "memory": which limit binds. */
        public String binding() {
            return computeMs >= memoryMs ? "compute" : "memory";
        }

        /** The roofline time over the measured step time: 1.0 means the step runs at its roofline. */
        public double fractionOf(double stepMillis) {
            return floorMs() / stepMillis;
        }
    }

    private Roofline() {
    }

    /** Measures the machine: a {@code size}^3 sgemm on each path ({@code reps} timed after one warm-up) and a copy. */
    public static Machine measure(int size, int reps, int copyMiB) {
        Nd4j.getRandom().setSeed(3);
        INDArray a = Nd4j.rand(DataType.FLOAT, size, size);
        INDArray b = Nd4j.rand(DataType.FLOAT, size, size);
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {size, size}, 'f');
        double flops = 2.0 * size * size * size;
        List<PathRate> paths = new ArrayList<>();
        paths.add(rate("gemm", size, flops, reps, () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0)));
        paths.add(rate("gemm B^T", size, flops, reps, () -> Nd4j.gemm(a, b, c, false, true, 1.0, 0.0)));
        INDArray cc = Nd4j.create(DataType.FLOAT, size, size);
        paths.add(rate("matmul op", size, flops, reps, () -> Nd4j.exec(new Mmul(a, b, cc, MMulTranspose.allFalse()))));
        PathRate best = paths.stream().max((x, y) -> Double.compare(x.gflops(), y.gflops())).orElseThrow();

        long n = (long) copyMiB * 1024 * 1024 / 4;
        INDArray src = Nd4j.rand(DataType.FLOAT, n);
        INDArray dst = Nd4j.create(DataType.FLOAT, n);
        int bandwidthReps = Math.max(10, reps);   // 256 MiB moves in ~10-20 ms: best of 10
        double copyMs = best(bandwidthReps, () -> dst.assign(src));
        double gbs = 2.0 * n * 4 / (copyMs / 1e3) / 1e9;
        // Reading: a one-row GEMM over the same bytes seen as a [rows, 4096] matrix, a vector times
        // it and times its transpose, the faster (ND4J's sum reduction read at 13.6 GB/s where the
        // copy moved 33 GB/s on the benchmark machine: not a streaming read).
        long cols = 4096;
        INDArray m = src.reshape('c', n / cols, cols);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, n / cols);
        INDArray y = Nd4j.create(DataType.FLOAT, 1, cols);
        INDArray x2 = Nd4j.rand(DataType.FLOAT, 1, cols);
        INDArray y2 = Nd4j.create(DataType.FLOAT, 1, n / cols);
        double readMs = Math.min(best(bandwidthReps, () -> Nd4j.gemm(x, m, y, false, false, 1.0, 0.0)),
                best(bandwidthReps, () -> Nd4j.gemm(x2, m, y2, false, true, 1.0, 0.0)));
        double readGbs = n * 4.0 / (readMs / 1e3) / 1e9;
        return new Machine(best.gflops(), best.path(), List.copyOf(paths), gbs, copyMiB, readGbs);
    }

    /** The default measurement: a 2048^3 sgemm (34 GFLOP: long enough to reach the peak, a few seconds at most), a 256 MiB copy and read. */
    public static Machine measure() {
        return measure(2048, 5, 256);
    }

    private static PathRate rate(String name, int size, double flops, int reps, Runnable op) {
        double ms = best(reps, op);
        return new PathRate(name, size, ms, flops / (ms / 1e3) / 1e9);
    }

    /** The best of {@code reps} timed runs after one untimed, in ms. */
    private static double best(int reps, Runnable op) {
        op.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            op.run();
            best = Math.min(best, (System.nanoTime() - s) / 1e6);
        }
        return best;
    }
}
