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
    /** The last input, and its one-channel reshaped view or its permuted view (ND4J makes a new one per call). */
    private INDArray source;
    private INDArray view;
    private INDArray permuted;

    /** x [n, c, h, w] as NHWC (toNhwc), or x [n, h, w, c] as NCHW. */
    INDArray apply(INDArray x, boolean toNhwc) {
        if (x == source) {
            // The same array as last time (a work array, or the attack's images): the same view.
            if (view != null) {
                return view;
            }
            return buffer.assign(permuted);
        }
        long[] s = x.shape();
        long[] t = toNhwc ? new long[] {s[0], s[2], s[3], s[1]} : new long[] {s[0], s[3], s[1], s[2]};
        long channels = toNhwc ? s[1] : s[3];
        source = x;
        if (channels == 1 && Tensors.isPlainBlock(x)) {
            view = x.reshape('c', t);
            permuted = null;
            return view;
        }
        view = null;
        permuted = toNhwc ? x.permute(0, 2, 3, 1) : x.permute(0, 3, 1, 2);
        buffer = Tensors.reuse(buffer, x.dataType(), t).assign(permuted);
        return buffer;
    }
}
