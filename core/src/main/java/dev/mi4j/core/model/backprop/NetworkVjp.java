package dev.mi4j.core.model.backprop;

import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inference-mode forward pass and vector-Jacobian product of a whole {@link MultiLayerNetwork},
 * from its output back to its input: what a generative attack needs to push d cost / d image
 * through a generator to its latent code, or to differentiate a discriminator's verdict with
 * respect to the image it judges.
 *
 * <p>This is {@link GeneralEngine}'s machinery with another head, not a second backprop: the same
 * shadow network on the same parameter array (dropout and weight noise removed, batch norm on
 * its running statistics, DL4J's own per-layer backprop, no workspaces), so it follows in-place
 * parameter updates (a discriminator being trained) and never modifies the network. Where
 * {@link GeneralEngine} requires a softmax and returns logits, this keeps the last layer as
 * {@link Output} says: DL4J's output layers back-propagate from labels, not from an epsilon, so an
 * {@code OutputLayer} becomes a {@code DenseLayer} with the same parameters and a
 * {@code LossLayer} an {@code ActivationLayer}, with their activation ({@link Output#AS_IS}) or
 * without it ({@link Output#PRE_ACTIVATION}, e.g. the logit of a sigmoid discriminator, so that
 * the caller computes log-sigmoid losses stably in double).
 *
 * <p>Inputs are passed to the first layer as given (a generator takes [n, latent], a
 * convolutional discriminator [n, c, h, w]). Thread-safe: every method is synchronized.
 */
public final class NetworkVjp {

    /** What the shadow's last layer outputs. */
    public enum Output {
        /** The network's own output (its last activation applied). */
        AS_IS,
        /** The last layer's pre-activation (its activation replaced by the identity). */
        PRE_ACTIVATION
    }

    /** d cost / d output for the given output, between the forward and backward passes. */
    @FunctionalInterface
    public interface OutputEpsilon {
        /**
         * @param output the network's output for the batch (read it; do not keep it after returning)
         * @return d cost / d output, the output's shape
         */
        INDArray of(INDArray output);
    }

    private final GeneralEngine.Stack shadow;
    private final Output output;

    /** @throws IllegalArgumentException naming a last layer the engine cannot back-propagate an epsilon through */
    public NetworkVjp(MultiLayerNetwork network, Output output) {
        this.output = Objects.requireNonNull(output, "output");
        this.shadow = new GeneralEngine.Stack(Objects.requireNonNull(network, "network"), output);
    }

    public Output outputKind() {
        return output;
    }

    /** The output for a batch, inference mode (a fresh array). */
    public synchronized INDArray output(INDArray input) {
        try {
            return shadow.forward(input, (int) input.size(0)).dup();
        } finally {
            shadow.clear();
        }
    }

    /**
     * d cost / d input for a batch: the forward pass, then {@code epsilon} with the output, then
     * the backward pass. Returns a fresh array of the input's shape.
     *
     * @throws IllegalArgumentException when the epsilon does not have the output's shape
     */
    public synchronized INDArray inputGradient(INDArray input, OutputEpsilon epsilon) {
        Objects.requireNonNull(epsilon, "epsilon");
        int n = (int) input.size(0);
        try {
            INDArray out = shadow.forward(input, n);
            INDArray eps = epsilon.of(out);
            if (eps == null || !Arrays.equals(eps.shape(), out.shape())) {
                throw new IllegalArgumentException("epsilon: expected shape " + Arrays.toString(out.shape()) + ", got "
                        + (eps == null ? "null" : Arrays.toString(eps.shape())));
            }
            if (eps.dataType() != out.dataType()) {
                eps = eps.castTo(out.dataType());
            }
            INDArray g = shadow.backward(eps, n);
            return g.reshape(input.shape()).dup();
        } finally {
            shadow.clear();
        }
    }
}
