package dev.mi4j.core.model.backprop;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * One image's pass with one OpenMP thread. libnd4j's ops and oneDNN's kernels split their work over
 * OpenMP threads; for one image each op is so small that waking the second thread costs more than
 * it saves (the CNN's one-image step: BENCHMARKS.md), and the element-wise ops, layout copies,
 * convolutions and pools give the same bits with any thread count (NativeThreadsTest). GEMMs do not
 * always: a one-row GEMM may split its sums over threads (the DAE target's first layer does), so
 * {@link #gemm} runs each small GEMM signature once both ways and keeps one thread only where the
 * bits agree; the others, and large GEMMs (bound by memory bandwidth, which two cores have more
 * of), run with the count they had before. The OpenMP thread count is a per-thread setting ({@code
 * omp_set_num_threads} sets the calling thread's ICV), so this changes nothing for other threads,
 * e.g. a sweep's other trials; it is restored when the pass ends. Batches of more than one image
 * keep every thread throughout.
 */
final class NativeThreads {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NativeThreads.class);

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

    /**
     * Per GEMM signature (shapes, strides, orders, transposes, type, alpha, thread count): whether one
     * thread gave the bits of the default thread count when it was first seen. How a GEMM splits its
     * work over threads depends on its shapes alone, not on the values: where the split leaves every
     * sum in one thread (rows or columns of the output split), any input gives the same bits; where it
     * splits the sums themselves, nearly every output element's rounding differs, which the first
     * comparison sees.
     */
    private static final Map<String, Boolean> ONE_THREAD_SAME = new ConcurrentHashMap<>();

    /**
     * GEMMs up to this many multiply-adds may run on one thread: the one-image layers of the
     * softmax model, the CNN's dense layer (1.3 M) and its first convolution's backward (1.5 M).
     * Larger ones keep every thread: a one-row GEMM over a large weight matrix (the MLP's 31 M, the
     * DAE's 10 M) is bound by memory bandwidth, which two cores' share of exceeds one's (the MLP's
     * one-target step was 20-35% slower with them on one thread; BENCHMARKS.md).
     */
    static final long ONE_THREAD_MAX_MULTIPLY_ADDS = 1L << 22;

    /**
     * {@code Nd4j.gemm(a, b, c, ...)}, inside a one-image pass with one thread where the GEMM is
     * small ({@link #ONE_THREAD_MAX_MULTIPLY_ADDS}) and one thread is known to give the bits of the
     * count the pass had before {@link #forBatch} (the first GEMM of each signature runs both ways
     * and compares), else with that count. Outside such a pass, with the thread count as it is.
     * With a {@code call} (the call site's kept "matmul" op), the same op Nd4j.gemm runs, without
     * building it and its context anew.
     */
    static void gemm(NativeCall call, INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB,
                     double alpha, double beta) {
        int before = DEFAULT.get()[0];
        if (before == 0) {
            run(call, a, b, c, transposeA, transposeB, alpha, beta);
            return;
        }
        long inner = transposeA ? a.size(0) : a.size(1);
        boolean small = c.size(0) * c.size(1) * inner <= ONE_THREAD_MAX_MULTIPLY_ADDS;
        String key = small && beta == 0.0 && comparable(c) ? signature(a, b, c, transposeA, transposeB, alpha, before) : null;
        Boolean same = key == null ? Boolean.FALSE : ONE_THREAD_SAME.get(key);
        if (Boolean.TRUE.equals(same)) {
            run(call, a, b, c, transposeA, transposeB, alpha, beta);
            return;
        }
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        ops.setOmpNumThreads(before);
        try {
            run(call, a, b, c, transposeA, transposeB, alpha, beta);
        } finally {
            ops.setOmpNumThreads(1);
        }
        if (same == null) {
            // First sight of this signature: the same GEMM with one thread, into an array of c's layout.
            INDArray one = Nd4j.createUninitialized(c.dataType(), c.shape(), c.ordering());
            Nd4j.gemm(a, b, one, transposeA, transposeB, alpha, beta);
            boolean agree = sameBits(c, one);
            ONE_THREAD_SAME.put(key, agree);
            LOG.debug("GEMM {}: one thread {} the bits of {}", key, agree ? "gives" : "does not give", before);
        }
    }

    /** As {@link #gemm(NativeCall, INDArray, INDArray, INDArray, boolean, boolean, double, double)} without a kept op. */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                     double beta) {
        gemm(null, a, b, c, transposeA, transposeB, alpha, beta);
    }

    /**
     * The GEMM: the kept op with Nd4j.gemm's arguments (its Mmul: inputs a, b; integer arguments
     * transpose a, transpose b, transpose result; floating-point alpha, beta), or Nd4j.gemm itself
     * without a kept op, or for an output Nd4j.gemm would refuse (not a whole dense array).
     */
    private static void run(NativeCall call, INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB,
                            double alpha, double beta) {
        if (call == null || c.elementWiseStride() != 1) {
            Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
            return;
        }
        call.exec(new INDArray[] {a, b}, new int[] {transposeA ? 1 : 0, transposeB ? 1 : 0, 0}, new double[] {alpha, beta}, c);
    }

    /** An output a fresh c-order array of its shape lays out the same way (a whole block or a row slice of one). */
    private static boolean comparable(INDArray c) {
        return c.ordering() == 'c' && Tensors.hasCStrides(c)
                && (c.dataType() == DataType.FLOAT || c.dataType() == DataType.DOUBLE);
    }

    /** Equal raw bytes of the two arrays' values, in c order: equal bits, NaN payloads and signed zeros included. */
    private static boolean sameBits(INDArray x, INDArray y) {
        return x.dup('c').data().asNio().mismatch(y.dup('c').data().asNio()) == -1;
    }

    private static String signature(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB,
                                    double alpha, int threads) {
        StringBuilder s = new StringBuilder(160).append(c.dataType()).append(" alpha ").append(alpha)
                .append(", default ").append(threads).append(" threads");
        String[] names = {transposeA ? "; a^T " : "; a ", transposeB ? ", b^T " : ", b ", ", c "};
        INDArray[] xs = {a, b, c};
        for (int i = 0; i < 3; i++) {
            s.append(names[i]).append(xs[i].ordering()).append(java.util.Arrays.toString(xs[i].shape()))
                    .append(" strides ").append(java.util.Arrays.toString(xs[i].stride()));
        }
        return s.toString();
    }
}
