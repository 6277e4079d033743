package dev.mi4j.core.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One step of training as a {@link GradientHook} sees it: the network (parameters before the
 * step), the minibatch and where the run is. {@link #batchGradient()} is the gradient that
 * {@code net.fit} would apply, computed on demand, so that a hook which needs something else
 * (DP-SGD's per-example gradients) does not pay for it.
 */
public final class MinibatchStep {

    private final MultiLayerNetwork net;
    private final INDArray features;
    private final INDArray labels;
    private final int[] indices;
    private final int iteration;
    private final int epoch;
    private StepGradient batchGradient;

    /**
     * @param net       the network being trained
     * @param features  the minibatch's inputs, [b, channels, height, width] (null when b = 0)
     * @param labels    its one-hot labels, [b, classes] (null when b = 0)
     * @param indices   positions of its examples among the examples trained on
     * @param iteration steps taken before this one (0-based)
     * @param epoch     1-based epoch
     */
    public MinibatchStep(MultiLayerNetwork net, INDArray features, INDArray labels, int[] indices, int iteration,
                         int epoch) {
        if (net == null || indices == null) {
            throw new IllegalArgumentException("net and indices must not be null");
        }
        if (indices.length > 0 && (features == null || labels == null || features.size(0) != indices.length
                || labels.size(0) != indices.length)) {
            throw new IllegalArgumentException("features and labels: must have one row per index ("
                    + indices.length + ")");
        }
        this.net = net;
        this.features = features;
        this.labels = labels;
        this.indices = indices.clone();
        this.iteration = iteration;
        this.epoch = epoch;
    }

    public MultiLayerNetwork net() {
        return net;
    }

    /** The inputs, [b, channels, height, width]; null for an empty minibatch. */
    public INDArray features() {
        return features;
    }

    /** The one-hot labels, [b, classes]; null for an empty minibatch. */
    public INDArray labels() {
        return labels;
    }

    /** Positions of the minibatch's examples among the examples trained on. */
    public int[] indices() {
        return indices.clone();
    }

    /** Number of examples in the minibatch (Poisson sampling may give 0). */
    public int size() {
        return indices.length;
    }

    /** Steps taken before this one, 0-based. */
    public int iteration() {
        return iteration;
    }

    /** 1-based epoch. */
    public int epoch() {
        return epoch;
    }

    /** A new zero gradient of the network's layout (one value per parameter, its data type) to fill. */
    public INDArray zeroGradient() {
        return Nd4j.zeros(net.params().dataType(), net.numParams());
    }

    /**
     * The gradient {@code net.fit} would apply for this minibatch: the network's forward and
     * backward pass in training mode ({@code computeGradientAndScore}), left in its flattened
     * gradient view, divisor the minibatch size, score its mean loss. Computed once; later calls
     * return the same result (the view is only valid until the network computes another gradient).
     *
     * @throws IllegalStateException for an empty minibatch
     */
    public StepGradient batchGradient() {
        if (batchGradient == null) {
            batchGradient = gradientFor(labels);
        }
        return batchGradient;
    }

    /**
     * Like {@link #batchGradient()}, against other targets for the same inputs (label smoothing
     * trains on soft labels). Not cached.
     *
     * @param targets [b, classes] targets for the network's loss function
     */
    public StepGradient batchGradient(INDArray targets) {
        if (targets == null || size() == 0 || targets.size(0) != size() || targets.size(1) != labels.size(1)) {
            throw new IllegalArgumentException("targets: must be [" + size() + ", "
                    + (labels == null ? "classes" : labels.size(1)) + "]");
        }
        return gradientFor(targets);
    }

    private StepGradient gradientFor(INDArray targets) {
        if (size() == 0) {
            throw new IllegalStateException("empty minibatch: there is no minibatch gradient to compute");
        }
        net.setInput(features);
        net.setLabels(targets);
        net.computeGradientAndScore();
        return new StepGradient(net.getFlattenedGradients(), size(), net.score());
    }
}
