package dev.mi4j.core.model.backprop;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * mi4j's own inference-mode forward pass and input-epsilon backward pass for the layers it
 * knows, on a {@link MultiLayerNetwork}: dense, softmax output, 2-D convolution (NCHW networks,
 * stride and dilation of any size, Same/Truncate/Strict modes), max pooling, dropout and
 * activation layers, with any DL4J input preprocessor between them ({@link #unsupported} names
 * the first layer it does not know).
 *
 * <p>It reads the network's parameter arrays (views: it follows in-place updates) and never
 * writes them; it never computes weight gradients: dense layers cost one GEMM backwards instead
 * of two, convolutions compute only the input gradient (the transposed convolution) where the
 * backend allows it. {@code MultiLayerNetwork.calculateGradients} would do both and run in
 * training mode (dropout noise); see DL4J-NOTES.
 *
 * <p>Convolution paths ({@link BackpropOptions}; BENCHMARKS.md has the measurements). Plain
 * natives: forward by im2col + GEMM and backward by GEMM + col2im, one image at a time, NCHW.
 * oneDNN natives: NHWC convolutions and pools (no oneDNN reorders), libnd4j's conv2d forward, and
 * the input gradient as a forward conv2d of the epsilon with the flipped, transposed kernel
 * (stride 1; else conv2d_bp), or for a one-channel input as one GEMM over the batch + col2im. A
 * max pool right after a plain-ReLU convolution applies the ReLU mask to its own epsilon
 * (exact, 4x fewer elements).
 *
 * <p>Speed: the input-gradient pass reuses its work arrays (layer outputs, pre-activations,
 * epsilons) from one call to the next while the batch size stays the same, and writes dense
 * layers' GEMMs straight into them: allocating a 1.6 MB ND4J array costs about as much as the
 * GEMM of the softmax model itself (see BENCHMARKS.md).
 *
 * <p>Thread-safe: {@link #inputGradient} is synchronized on this instance (its work arrays are
 * shared, and its result is one of them); {@link #logits} and {@link #features} allocate per call.
 */
public final class FastEngine implements GradientEngine {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private final List<Step> steps;
    private final int numClasses;
    private final DataType dataType;
    /** Work arrays of the input-gradient pass for the last batch size; guarded by this. */
    private Frame[] scratch;

    /**
     * Why the fast engine cannot run this network, naming the first layer it does not know, or
     * empty when it can.
     */
    public static Optional<String> unsupported(MultiLayerNetwork network) {
        org.deeplearning4j.nn.api.Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
            String why = Step.unsupported(conf, i == layers.length - 1);
            if (why != null) {
                String name = conf.getLayerName() == null ? "" : " \"" + conf.getLayerName() + "\"";
                return Optional.of("layer " + i + name + " (" + conf.getClass().getSimpleName() + "): " + why
                        + " (the fast engine knows " + Step.SUPPORTED + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * @param network a network {@link #unsupported} accepts
     * @param options convolution paths
     * @param oneDnn  whether the oneDNN natives are in use (what the AUTO options resolve to)
     * @throws IllegalArgumentException naming the first unsupported layer, or an option that does not apply
     */
    public FastEngine(MultiLayerNetwork network, BackpropOptions options, boolean oneDnn) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(options, "options");
        unsupported(network).ifPresent(why -> {
            throw new IllegalArgumentException("network: " + why);
        });
        this.dataType = network.params().dataType();
        org.deeplearning4j.nn.api.Layer[] layers = network.getLayers();
        List<Step> s = new ArrayList<>(layers.length);
        for (int i = 0; i < layers.length; i++) {
            s.add(Step.of(layers[i], network.getLayerWiseConfigurations().getInputPreProcess(i), i == layers.length - 1,
                    options, oneDnn));
        }
        for (int i = 0; i + 1 < s.size(); i++) {
            // A plain-ReLU convolution followed directly by a max pool: the pool applies the ReLU
            // mask to its own (4x smaller) epsilon, and the convolution skips its ReLU backprop.
            if (s.get(i) instanceof ConvStep c && c.plainRelu && s.get(i + 1) instanceof MaxPoolStep m && m.pre == null) {
                c.reluMaskedByPool = true;
                m.masksRelu = true;
            }
        }
        boolean nhwc = switch (options.layout()) {
            case NHWC -> true;
            case NCHW -> false;
            case AUTO -> oneDnn;
        };
        if (nhwc) {
            for (Step st : s) {
                if (st instanceof ConvStep c) {
                    c.useNhwc();
                } else if (st instanceof MaxPoolStep m) {
                    m.useNhwc();
                }
            }
        }
        this.steps = List.copyOf(s);
        this.numClasses = (int) ((org.deeplearning4j.nn.conf.layers.OutputLayer) layers[layers.length - 1].conf().getLayer()).getNOut();
    }

    /** Number of classes: the output layer's width. */
    public int numClasses() {
        return numClasses;
    }

    @Override
    public INDArray logits(INDArray images) {
        return NativeThreads.forBatch((int) images.size(0), () -> {
            Frame[] frames = forward(images, steps.size(), newFrames());
            return frames[steps.size() - 1].preOut;
        });
    }

    @Override
    public INDArray features(INDArray images) {
        Frame[] frames = forward(images, steps.size() - 1, newFrames());
        return frames[steps.size() - 1].input.dup();
    }

    @Override
    public INDArray inputGradient(INDArray images, LogitEpsilon epsilon) {
        return inputGradient(images, epsilon, null);
    }

    /**
     * Writes straight into {@code target} when the first layer is dense and its input is the image
     * flattened by a reshape (softmax regression, the MLP): the backward GEMM's result is then the
     * gradient, and the 1.6 MB copy per step for 40 AT&amp;T images is saved.
     */
    @Override
    public synchronized INDArray inputGradient(INDArray images, LogitEpsilon epsilon, INDArray target) {
        return NativeThreads.forBatch((int) images.size(0), () -> gradientPass(images, epsilon, target));
    }

    private INDArray gradientPass(INDArray images, LogitEpsilon epsilon, INDArray target) {
        int n = (int) images.size(0);
        if (scratch == null || scratch[0].batch != n) {
            scratch = newFrames();   // a new batch size: the old work arrays are garbage
        }
        Frame[] frames = forward(images, steps.size(), scratch);
        int last = steps.size() - 1;
        double[] dz = epsilon.of(frames[last].preOut);
        if (dz.length != n * numClasses) {
            throw new IllegalStateException("epsilon: expected " + n * numClasses + " values, got " + dz.length);
        }
        // The logits' epsilon goes into a reused [n, classes] array: no ND4J allocation.
        Frame out = frames[last];
        out.outputEps = Tensors.reuse(out.outputEps, dataType, n, numClasses);
        out.outputEps.data().setData(dz);
        INDArray eps = out.outputEps;
        INDArray direct = directTarget(frames[0], target, n);
        INDArray own = frames[0].inputEps;
        if (direct != null) {
            frames[0].inputEps = direct;   // the first dense layer's backward GEMM writes the caller's buffer
        }
        try {
            for (int i = last; i >= 0; i--) {
                Step step = steps.get(i);
                Frame f = frames[i];
                eps = step.backward(eps, f);
                if (f.toNhwc) {
                    eps = f.nchwEps.apply(eps, false);
                }
                if (step.pre != null) {
                    eps = unflatten(f, step.pre, eps, n);
                }
                if (f.toNchw) {
                    eps = f.nhwcEps.apply(eps, true);
                }
            }
        } finally {
            if (direct != null) {
                frames[0].inputEps = own;  // never hand the caller's buffer to a later call
            }
        }
        return direct != null ? target : eps;
    }

    /**
     * {@code out} seen as the first layer's [n, in] input epsilon when the first layer is dense,
     * its input is the images flattened by a reshape and out is a c-order block of that many
     * values of the network's type; else null.
     */
    private INDArray directTarget(Frame first, INDArray out, int n) {
        if (out == null || !(steps.get(0) instanceof DenseStep dense) || first.toNhwc || first.toNchw
                || out.dataType() != dataType || !Tensors.isPlainBlock(out) || !Tensors.isPlainBlock(first.input)) {
            return null;
        }
        long in = dense.inputSize();
        if (out.length() != n * in || first.input.length() != n * in
                || !(dense.pre == null || isReshapeFlatten(dense.pre))) {
            return null;
        }
        return first.view(Frame.VIEW_TARGET, out, v -> v.reshape('c', n, in));
    }

    private Frame[] newFrames() {
        Frame[] frames = new Frame[steps.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new Frame();
        }
        return frames;
    }

    /**
     * Runs layers 0..upTo-1 into the given frames, recording each layer's (preprocessed) input and
     * pre-activation; work arrays already in the frames (same batch size) are overwritten.
     */
    private Frame[] forward(INDArray images, int upTo, Frame[] frames) {
        int n = (int) images.size(0);
        INDArray x = images;
        boolean xNhwc = false;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Frame f = frames[i];
            // Layout changes: NHWC -> NCHW before a preprocessor or an NCHW layer, NCHW -> NHWC
            // before an NHWC layer. inputGradient() undoes them in reverse order.
            f.toNchw = xNhwc && (!step.nhwc || step.pre != null);
            if (f.toNchw) {
                x = f.nchwIn.apply(x, false);
                xNhwc = false;
            }
            if (step.pre != null) {
                x = flatten(f, step.pre, x, n);
            }
            f.toNhwc = step.nhwc && !xNhwc;
            if (f.toNhwc) {
                x = f.nhwcIn.apply(x, true);
                xNhwc = true;
            }
            frames[i].batch = n;
            frames[i].input = x;
            if (i >= upTo) {
                break;
            }
            x = step.forward(x, f);
        }
        return frames;
    }

    private static boolean isReshapeFlatten(InputPreProcessor pre) {
        return pre instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW;
    }

    /**
     * A layer's input preprocessor. DL4J's CNN-to-dense flattening copies its input (10 MB for a
     * 256-image query batch, more time than the GEMM after it); for a whole c-order NCHW block it
     * is a reshape, done here without the copy. Other preprocessors run as DL4J's.
     */
    private static INDArray flatten(Frame f, InputPreProcessor pre, INDArray x, int n) {
        if (isReshapeFlatten(pre) && x.rank() == 4 && Tensors.isPlainBlock(x)) {
            return f.view(Frame.VIEW_FLAT, x, v -> v.reshape('c', v.size(0), v.length() / v.size(0)));
        }
        return pre.preProcess(x, n, NO_WS);
    }

    /** The backward of {@link #flatten}: the epsilon back to [n, c, h, w], a reshape where flatten was one. */
    private static INDArray unflatten(Frame f, InputPreProcessor pre, INDArray eps, int n) {
        if (isReshapeFlatten(pre) && eps.rank() == 2 && Tensors.isPlainBlock(eps)) {
            CnnToFeedForwardPreProcessor c = (CnnToFeedForwardPreProcessor) pre;
            return f.view(Frame.VIEW_UNFLAT, eps,
                    v -> v.reshape('c', v.size(0), c.getNumChannels(), c.getInputHeight(), c.getInputWidth()));
        }
        return pre.backprop(eps, n, NO_WS);
    }
}
