package dev.mi4j.core.model.backprop;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A dropout layer: the identity in inference mode. */
final class IdentityStep extends Step {
    IdentityStep(InputPreProcessor pre) {
        super(pre);
    }

    @Override
    INDArray forward(INDArray x, Frame f) {
        return x; // dropout is the identity in inference mode
    }

    @Override
    INDArray backward(INDArray eps, Frame f) {
        return eps;
    }
}
