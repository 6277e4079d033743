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
}
