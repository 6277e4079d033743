package dev.mi4j.core.model.backprop;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An activation layer. */
final class ActivationStep extends Step {
    private final IActivation act;

    ActivationStep(InputPreProcessor pre, IActivation act) {
        super(pre);
        this.act = act;
    }

    @Override
    INDArray forward(INDArray x, Frame f) {
        f.preOut = x;
        f.out = Tensors.reuse(f.out, x.dataType(), x.shape()).assign(x);
        return act.getActivation(f.out, false);
    }

    @Override
    INDArray backward(INDArray eps, Frame f) {
        // backprop overwrites its first argument; preOut is the previous layer's output (or the images).
        f.inputEps = Tensors.reuse(f.inputEps, f.preOut.dataType(), f.preOut.shape()).assign(f.preOut);
        return act.backprop(f.inputEps, eps).getFirst();
    }
}
