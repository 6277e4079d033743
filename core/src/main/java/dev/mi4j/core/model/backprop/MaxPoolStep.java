package dev.mi4j.core.model.backprop;

import static dev.mi4j.core.model.backprop.LibNd4jArgs.NHWC;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.POOL_DATA_FORMAT;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** A max pooling layer. */
final class MaxPoolStep extends Step {
    private final int[] args;
    /** Set when the previous layer is a plain-ReLU convolution: backward applies its ReLU mask. */
    boolean masksRelu;

    MaxPoolStep(InputPreProcessor pre, SubsamplingLayer conf) {
        super(pre);
        this.args = LibNd4jArgs.pool2d(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(),
                conf.getConvolutionMode());
    }

    void useNhwc() {
        nhwc = true;
        args[POOL_DATA_FORMAT] = NHWC;
    }

    @Override
    INDArray forward(INDArray x, Frame f) {
        f.out = f.exec(Frame.FORWARD, "maxpool2d", new INDArray[] {x}, args, f.out);
        return f.out;
    }

    @Override
    INDArray backward(INDArray eps, Frame f) {
        INDArray e = eps;
        if (masksRelu) {
            // The pool's gradient goes to one maximum of each window, whose ReLU output is the
            // pooled value: its ReLU derivative is 1 exactly where the pooled output is > 0.
            // Masking here is the same arithmetic as relu_bp on the 4x larger layer below.
            f.maskedEps = Tensors.reuse(f.maskedEps, eps.dataType(), eps.shape());
            if (!Tensors.reluBackward(f.out, eps, f.maskedEps)) {
                Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(f.out, eps).addOutputs(f.maskedEps).build());
            }
            e = f.maskedEps;
        }
        f.inputEps = f.exec(Frame.BACKWARD, "maxpool2d_bp", new INDArray[] {f.input, e}, args, f.inputEps);
        return f.inputEps;
    }
}
