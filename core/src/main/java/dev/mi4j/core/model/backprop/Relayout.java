package dev.mi4j.core.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layout change (NCHW to NHWC or back) and the c-order buffer it reuses. With one channel
 * the change is a reshaped view of its input, no copy; that view is returned but never kept as
 * the buffer: the next call would otherwise copy its input into the previous caller's array
 * (a view of the caller's images, or of another layer's work array).
 */
final class Relayout {
    private INDArray buffer;
    /** The input's one-channel reshape or its permutation, kept while the input is the same array. */
    private final KeptView reshaped = new KeptView();
    private final KeptView permuted = new KeptView();

    /** x [n, c, h, w] as NHWC (toNhwc), or x [n, h, w, c] as NCHW. */
    INDArray apply(INDArray x, boolean toNhwc) {
        long[] s = x.shape();
        long[] t = toNhwc ? new long[] {s[0], s[2], s[3], s[1]} : new long[] {s[0], s[3], s[1], s[2]};
        long channels = toNhwc ? s[1] : s[3];
        if (channels == 1 && Tensors.isPlainBlock(x)) {
            return reshaped.of(x, v -> v.reshape('c', t));
        }
        INDArray p = permuted.of(x, v -> toNhwc ? v.permute(0, 2, 3, 1) : v.permute(0, 3, 1, 2));
        buffer = Tensors.reuse(buffer, x.dataType(), t).assign(p);
        return buffer;
    }
}
