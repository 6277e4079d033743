package dev.mi4j.core.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one layer's backward pass needs from its forward pass, and the layer's work arrays
 * (allocated on first use, reused while the batch size stays the same).
 */
final class Frame {
    int batch = -1;
    INDArray input;
    INDArray preOut;
    INDArray out;
    INDArray outputEps;   // final layer only: dCost/dLogits
    INDArray inputEps;
    INDArray weightEps;   // scratch outputs of conv2d_bp (oneDNN build), never read
    INDArray biasEps;
    INDArray maskedEps;   // max pool after a ReLU convolution: its epsilon with the ReLU mask applied
    boolean toNchw;       // layout changes before this layer (see FastEngine.forward) and their buffers
    boolean toNhwc;
    final Relayout nchwIn = new Relayout();
    final Relayout nhwcIn = new Relayout();
    final Relayout nchwEps = new Relayout();
    final Relayout nhwcEps = new Relayout();
    INDArray col;         // convolution by GEMM + col2im: one image's columns [1, C, kH, kW, oH, oW]
    INDArray flipped;     // convolution backward by a forward conv2d: the flipped kernel [in, out, kH, kW]

    /** Call sites of libnd4j ops in this layer's passes, each with its kept native context ({@link NativeCall}). */
    static final int FORWARD = 0;
    static final int BACKWARD = 1;
    static final int BACKWARD_SECOND = 2;
    static final int GEMM = 3;
    private final NativeCall[] calls = new NativeCall[4];

    /**
     * Runs libnd4j op {@code op} at call site {@code site} into {@code out}, the site's previous
     * output (same batch size); without one yet, into a newly allocated output that is returned.
     */
    INDArray exec(int site, String op, INDArray[] inputs, int[] args, INDArray out) {
        if (out == null) {
            return Tensors.exec(op, inputs, args, null);
        }
        return call(site, op).exec(inputs, args, out);
    }

    /** Slots of {@link #view}. */
    static final int VIEW_DELTA = 0;
    static final int VIEW_COL = 1;
    static final int VIEW_COL_PERMUTED = 2;
    static final int VIEW_INPUT_EPS = 3;
    static final int VIEW_FLAT = 4;
    static final int VIEW_UNFLAT = 5;
    static final int VIEW_TARGET = 6;
    private final KeptView[] views = new KeptView[7];

    /** {@code make.apply(src)}, a reshape or permutation of {@code src}, kept per slot ({@link KeptView}). */
    INDArray view(int slot, INDArray src, java.util.function.UnaryOperator<INDArray> make) {
        if (views[slot] == null) {
            views[slot] = new KeptView();
        }
        return views[slot].of(src, make);
    }

    /** The call site's kept op, made on first use. */
    NativeCall call(int site, String op) {
        if (calls[site] == null) {
            calls[site] = new NativeCall(op);
        }
        return calls[site];
    }
}
