package dev.mi4j.core.model.backprop;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A dense layer, or (without activation) the final softmax layer up to its logits. */
final class DenseStep extends Step {
    private final INDArray w;
    /**
     * The forward GEMM's right operand. DL4J keeps W [in, out] in 'f' order; its transpose is the
     * same memory as a 'c'-order [out, in] matrix, so x * W is taken as x * (W^T)^T on that view: no
     * copy, and ND4J's gemm then calls BLAS on both operands as they lie instead of relaying x out
     * first (measured 0.56 -> 0.41 ms for 40 AT&T images through the softmax, 0.10 -> 0.03 ms for
     * one image; BENCHMARKS.md). Same product; BLAS may sum in another order (float noise).
     */
    private final INDArray forwardOperand;
    private final boolean forwardTransposed;
    private final INDArray b;
    private final IActivation act; // null for the output layer: its epsilon arrives w.r.t. the logits
    private final boolean plainRelu;

    DenseStep(InputPreProcessor pre, org.deeplearning4j.nn.api.Layer layer, IActivation act) {
        super(pre);
        this.w = layer.getParam("W");
        this.b = layer.getParam("b");
        this.forwardTransposed = w.ordering() == 'f' && w.rank() == 2;
        this.forwardOperand = forwardTransposed ? w.transpose() : w;
        this.act = act;
        this.plainRelu = Step.isPlainRelu(act);
    }

    /** Width of the layer's input. */
    long inputSize() {
        return w.size(0);
    }

    @Override
    INDArray forward(INDArray x, Frame f) {
        long n = x.size(0);
        INDArray z = f.preOut = Tensors.reuse(f.preOut, x.dataType(), n, w.size(1));
        NativeThreads.gemm(f.call(Frame.FORWARD, "matmul"), x, forwardOperand, z, false, forwardTransposed, 1.0, 0.0);
        if (b != null) {
            Tensors.addRowVector(z, b);
        }
        if (act == null) {
            return z;
        }
        f.out = Tensors.reuse(f.out, z.dataType(), z.shape());
        if (plainRelu && Tensors.relu(z, f.out)) {
            return f.out;   // one pass in Java instead of a copy and an activation op
        }
        f.out.assign(z);
        return act.getActivation(f.out, false);
    }

    @Override
    INDArray backward(INDArray eps, Frame f) {
        // IActivation.backprop may overwrite its first argument; preOut is not needed afterwards.
        INDArray delta = act == null ? eps
                : plainRelu && Tensors.reluBackward(f.preOut, eps, f.preOut) ? f.preOut
                : act.backprop(f.preOut, eps).getFirst();
        // c order, so that a flattening preprocessor's backprop is a reshape, not a copy.
        f.inputEps = Tensors.reuse(f.inputEps, delta.dataType(), delta.size(0), w.size(0));
        NativeThreads.gemm(f.call(Frame.BACKWARD, "matmul"), delta, w, f.inputEps, false, true, 1.0, 0.0);
        return f.inputEps;
    }
}
