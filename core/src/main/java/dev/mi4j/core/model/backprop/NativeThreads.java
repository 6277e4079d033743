package dev.mi4j.core.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * One image's pass with one OpenMP thread, its GEMMs with every thread. libnd4j's ops and oneDNN's
 * kernels split their work over OpenMP threads; for one image each op is so small that waking the
 * second thread costs more than it saves (the CNN's one-image step: BENCHMARKS.md), and the
 * element-wise ops, layout copies, convolutions and pools give the same bits with any thread count
 * (NativeThreadsTest). GEMMs do not always: a one-row GEMM may split its sums over threads (the DAE
 * target's gradient differed in its last bits with one thread), so {@link #gemm} runs them with the
 * count they had before. The OpenMP thread count is a per-thread setting ({@code
 * omp_set_num_threads} sets the calling thread's ICV), so this changes nothing for other threads,
 * e.g. a sweep's other trials; it is restored when the pass ends. Batches of more than one image
 * keep every thread throughout.
 */
final class NativeThreads {

    /** Largest batch run with one thread. */
    static final int SINGLE_THREAD_MAX_BATCH = 1;

    /** Tests turn the switch off to compare against the default thread count. */
    static volatile boolean enabled = true;

    /** Inside {@link #forBatch} on this thread with one thread set: the count to restore; else 0. */
    private static final ThreadLocal<int[]> DEFAULT = ThreadLocal.withInitial(() -> new int[1]);

    private NativeThreads() {
    }

    /** A pass over a batch of {@code n} images: with one OpenMP thread when n is small enough. */
    static <T> T forBatch(int n, java.util.function.Supplier<T> work) {
        int[] saved = DEFAULT.get();
        if (n > SINGLE_THREAD_MAX_BATCH || !enabled || saved[0] != 0) {
            return work.get();
        }
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        if (before <= 1) {
            return work.get();
        }
        ops.setOmpNumThreads(1);
        saved[0] = before;
        try {
            return work.get();
        } finally {
            saved[0] = 0;
            ops.setOmpNumThreads(before);
        }
    }

    /** {@code Nd4j.gemm(a, b, c, ...)} with the thread count the pass had before {@link #forBatch}. */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                     double beta) {
        int before = DEFAULT.get()[0];
        if (before == 0) {
            Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
            return;
        }
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        ops.setOmpNumThreads(before);
        try {
            Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
        } finally {
            ops.setOmpNumThreads(1);
        }
    }
}
