package dev.mi4j.core.model;

import dev.mi4j.core.image.ImageShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link DifferentiableClassifier} over a DL4J {@link MultiLayerNetwork}.
 *
 * <p>It runs its own inference-mode forward pass from the network's parameter arrays (which it
 * only reads) and back-propagates <em>input</em> epsilons layer by layer, never weight
 * gradients: dense layers cost one GEMM backwards instead of two, convolutions use libnd4j's
 * {@code conv2d_input_bp} (the transposed convolution) rather than {@code conv2d_bp}, which
 * also computes the weight gradient. {@code MultiLayerNetwork.calculateGradients} would do both
 * and run in training mode (dropout noise); see DL4J-NOTES.
 *
 * <p>Supported layers: dense, output (softmax activation), 2-D convolution (NCHW, stride and
 * dilation of any size, Same/Truncate/Strict modes), max pooling, dropout and activation layers,
 * with any DL4J input preprocessor between them. Others are rejected at construction.
 *
 * <p>Thread-compatible: it holds no per-call state besides the atomic query counter, but ND4J
 * arrays of one network should not be shared by concurrent callers without external locking.
 * The network is never modified.
 */
public final class NetworkClassifier implements DifferentiableClassifier {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private final MultiLayerNetwork network;
    private final ImageShape shape;
    private final int numClasses;
    private final DataType dataType;
    private final List<Step> steps;
    private final AtomicLong queries = new AtomicLong();

    /**
     * @param network a trained network whose last layer is a softmax {@link OutputLayer}
     * @param shape   shape of one input image, [c, h, w]
     */
    public NetworkClassifier(MultiLayerNetwork network, ImageShape shape) {
        this.network = Objects.requireNonNull(network, "network");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.dataType = network.params().dataType();
        org.deeplearning4j.nn.api.Layer[] layers = network.getLayers();
        List<Step> s = new ArrayList<>(layers.length);
        for (int i = 0; i < layers.length; i++) {
            s.add(Step.of(i, layers[i], network.getLayerWiseConfigurations().getInputPreProcess(i),
                    i == layers.length - 1));
        }
        this.steps = List.copyOf(s);
        this.numClasses = (int) ((OutputLayer) layers[layers.length - 1].conf().getLayer()).getNOut();
    }

    /** The wrapped network (read-only by contract: do not train it while attacks run). */
    public MultiLayerNetwork network() {
        return network;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public ImageShape inputShape() {
        return shape;
    }

    @Override
    public long queryCount() {
        return queries.get();
    }

    @Override
    public void resetQueryCount() {
        queries.set(0);
    }

    @Override
    public INDArray predict(INDArray images) {
        INDArray x = checkImages(images);
        queries.addAndGet(x.size(0));
        Frame[] frames = forward(x, steps.size());
        return softmax(frames[steps.size() - 1].preOut);
    }

    /** Not counted as queries: features belong to the evaluation side, not to the attacked API. */
    @Override
    public INDArray features(INDArray images) {
        INDArray x = checkImages(images);
        Frame[] frames = forward(x, steps.size() - 1);
        return frames[steps.size() - 1].input.dup();
    }

    @Override
    public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
        INDArray x = checkImages(images);
        Objects.requireNonNull(objective, "objective");
        int n = (int) x.size(0);
        if (targets == null || targets.length != n) {
            throw new IllegalArgumentException("targets: need one label per image (" + n + "), got "
                    + (targets == null ? "null" : targets.length));
        }
        for (int t : targets) {
            if (t < 0 || t >= numClasses) {
                throw new IllegalArgumentException("targets: label " + t + " outside 0.." + (numClasses - 1));
            }
        }
        queries.addAndGet(n);
        Frame[] frames = forward(x, steps.size());
        int last = steps.size() - 1;
        double[][] z = frames[last].preOut.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] cost = new double[n];
        double[][] p = new double[n][];
        double[][] dz = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = softmaxRow(z[i]);
            dz[i] = new double[numClasses];
            cost[i] = objectiveRow(objective, z[i], p[i], targets[i], dz[i]);
        }
        INDArray eps = Nd4j.create(dz).castTo(dataType);
        for (int i = last; i >= 0; i--) {
            Step step = steps.get(i);
            eps = step.backward(eps, frames[i]);
            if (step.pre != null) {
                eps = step.pre.backprop(eps, n, NO_WS);
            }
        }
        return new InputGradient(Nd4j.createFromArray(cost).castTo(dataType),
                Nd4j.create(p).castTo(dataType), eps.reshape(x.shape()));
    }

    /** p_label for each row of a probability matrix: probabilities[i, labels[i]]. */
    public static double[] labelProbabilities(INDArray probabilities, int[] labels) {
        if (probabilities.rank() != 2 || probabilities.size(0) != labels.length) {
            throw new IllegalArgumentException("probabilities: expected [" + labels.length + ", classes], got "
                    + Arrays.toString(probabilities.shape()));
        }
        double[] r = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            r[i] = probabilities.getDouble(i, labels[i]);
        }
        return r;
    }

    // ---------------------------------------------------------------- objectives

    /** Fills dCost/dz into dz and returns the cost, for logits z, probabilities p and target t. */
    static double objectiveRow(Objective objective, double[] z, double[] p, int t, double[] dz) {
        int k = z.length;
        switch (objective) {
            case ONE_MINUS_P -> {
                // d(1 - p_t)/dz_j = -p_t (1[j = t] - p_j)
                for (int j = 0; j < k; j++) {
                    dz[j] = -p[t] * ((j == t ? 1 : 0) - p[j]);
                }
                return 1 - p[t];
            }
            case NEG_LOG_P -> {
                for (int j = 0; j < k; j++) {
                    dz[j] = p[j] - (j == t ? 1 : 0);
                }
                return logSumExp(z) - z[t];
            }
            case NEG_LOGIT -> {
                dz[t] = -1;
                return -z[t];
            }
            case MARGIN -> {
                int best = -1;
                for (int j = 0; j < k; j++) {
                    if (j != t && (best < 0 || z[j] > z[best])) {
                        best = j;
                    }
                }
                dz[best] = 1;
                dz[t] = -1;
                return z[best] - z[t];
            }
            default -> throw new IllegalArgumentException("objective: unsupported " + objective);
        }
    }

    private static double logSumExp(double[] z) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - m);
        }
        return m + Math.log(s);
    }

    private static double[] softmaxRow(double[] z) {
        double lse = logSumExp(z);
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(z[j] - lse);
        }
        return p;
    }

    private INDArray softmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(1).reshape(logits.size(0), 1));
        INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(shifted, false);
        return e.diviColumnVector(e.sum(1).reshape(logits.size(0), 1));
    }

    // ---------------------------------------------------------------- forward pass

    private INDArray checkImages(INDArray images) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4 || images.size(1) != shape.channels() || images.size(2) != shape.height()
                || images.size(3) != shape.width()) {
            throw new IllegalArgumentException("images: expected [n, " + shape.channels() + ", " + shape.height()
                    + ", " + shape.width() + "], got " + Arrays.toString(images.shape()));
        }
        return images.dataType() == dataType ? images : images.castTo(dataType);
    }

    /** Runs layers 0..upTo-1, recording each layer's (preprocessed) input and pre-activation. */
    private Frame[] forward(INDArray images, int upTo) {
        int n = (int) images.size(0);
        Frame[] frames = new Frame[steps.size()];
        INDArray x = images;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.pre != null) {
                x = step.pre.preProcess(x, n, NO_WS);
            }
            frames[i] = new Frame();
            frames[i].input = x;
            if (i >= upTo) {
                break;
            }
            x = step.forward(x, frames[i]);
        }
        return frames;
    }

    /** What one layer's backward pass needs from its forward pass. */
    private static final class Frame {
        INDArray input;
        INDArray preOut;
    }

    // ---------------------------------------------------------------- layers

    private abstract static class Step {
        final InputPreProcessor pre;

        Step(InputPreProcessor pre) {
            this.pre = pre;
        }

        /** Layer output (for the final layer: the logits); records what backward needs. */
        abstract INDArray forward(INDArray x, Frame f);

        /** Epsilon w.r.t. the layer output (final layer: w.r.t. the logits) -> w.r.t. the layer input. */
        abstract INDArray backward(INDArray eps, Frame f);

        static Step of(int index, org.deeplearning4j.nn.api.Layer layer, InputPreProcessor pre, boolean last) {
            Layer conf = layer.conf().getLayer();
            if (last) {
                if (conf.getClass() != OutputLayer.class
                        || !(((OutputLayer) conf).getActivationFn() instanceof ActivationSoftmax)) {
                    throw new IllegalArgumentException("network: last layer must be a softmax OutputLayer, got "
                            + conf.getClass().getSimpleName());
                }
                return new Dense(pre, layer, null);
            }
            if (conf.getClass() == DenseLayer.class) {
                return new Dense(pre, layer, ((DenseLayer) conf).getActivationFn());
            }
            if (conf.getClass() == ConvolutionLayer.class) {
                return new Conv(pre, layer, (ConvolutionLayer) conf);
            }
            if (conf.getClass() == SubsamplingLayer.class && ((SubsamplingLayer) conf).getPoolingType() == PoolingType.MAX) {
                return new MaxPool(pre, (SubsamplingLayer) conf);
            }
            if (conf.getClass() == DropoutLayer.class) {
                return new Identity(pre);
            }
            if (conf.getClass() == ActivationLayer.class) {
                return new Activation(pre, ((ActivationLayer) conf).getActivationFn());
            }
            throw new IllegalArgumentException("network: layer " + index + " (" + conf.getClass().getSimpleName()
                    + ") is not supported for input gradients (supported: dense, output, convolution, max pooling,"
                    + " dropout, activation)");
        }
    }

    private static final class Dense extends Step {
        private final INDArray w;
        private final INDArray b;
        private final IActivation act; // null for the output layer: its epsilon arrives w.r.t. the logits

        Dense(InputPreProcessor pre, org.deeplearning4j.nn.api.Layer layer, IActivation act) {
            super(pre);
            this.w = layer.getParam("W");
            this.b = layer.getParam("b");
            this.act = act;
        }

        @Override
        INDArray forward(INDArray x, Frame f) {
            INDArray z = x.mmul(w);
            if (b != null) {
                z.addiRowVector(b);
            }
            f.preOut = z;
            return act == null ? z : act.getActivation(z.dup(), false);
        }

        @Override
        INDArray backward(INDArray eps, Frame f) {
            // IActivation.backprop may overwrite its first argument; preOut is not needed afterwards.
            INDArray delta = act == null ? eps : act.backprop(f.preOut, eps).getFirst();
            return delta.mmul(w.transpose());
        }
    }

    private static final class Conv extends Step {
        private final INDArray w; // [out, in, kH, kW]: libnd4j weight format 1
        private final INDArray b;
        private final IActivation act;
        private final int[] args;

        Conv(InputPreProcessor pre, org.deeplearning4j.nn.api.Layer layer, ConvolutionLayer conf) {
            super(pre);
            if (conf.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new IllegalArgumentException("network: only NCHW convolutions are supported");
            }
            this.w = layer.getParam("W");
            INDArray bias = conf.hasBias() ? layer.getParam("b") : null;
            this.b = bias == null ? null : bias.reshape(bias.length());
            this.act = conf.getActivationFn();
            this.args = convArgs(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(),
                    conf.getConvolutionMode(), 1);
        }

        @Override
        INDArray forward(INDArray x, Frame f) {
            INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
            INDArray z = Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(in).addIntegerArguments(args).build())[0];
            f.preOut = z;
            return act.getActivation(z.dup(), false);
        }

        @Override
        INDArray backward(INDArray eps, Frame f) {
            INDArray delta = act.backprop(f.preOut, eps).getFirst();
            // conv2d_input_bp computes only dL/dInput (a transposed convolution); conv2d_bp would
            // also build the im2col matrix of the input and the weight gradient.
            INDArray inShape = Nd4j.createFromArray(f.input.shape());
            return Nd4j.exec(DynamicCustomOp.builder("conv2d_input_bp").addInputs(inShape, w, delta)
                    .addIntegerArguments(args).build())[0];
        }
    }

    private static final class MaxPool extends Step {
        private final int[] args;

        MaxPool(InputPreProcessor pre, SubsamplingLayer conf) {
            super(pre);
            if (conf.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new IllegalArgumentException("network: only NCHW pooling is supported");
            }
            // extraParam0 (unused by max pooling) then data format 0 = NCHW
            int[] a = convArgs(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(),
                    conf.getConvolutionMode(), 0);
            this.args = Arrays.copyOf(a, 11);
            this.args[9] = 0;
            this.args[10] = 0;
        }

        @Override
        INDArray forward(INDArray x, Frame f) {
            return Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x).addIntegerArguments(args).build())[0];
        }

        @Override
        INDArray backward(INDArray eps, Frame f) {
            return Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(f.input, eps)
                    .addIntegerArguments(args).build())[0];
        }
    }

    private static final class Identity extends Step {
        Identity(InputPreProcessor pre) {
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

    private static final class Activation extends Step {
        private final IActivation act;

        Activation(InputPreProcessor pre, IActivation act) {
            super(pre);
            this.act = act;
        }

        @Override
        INDArray forward(INDArray x, Frame f) {
            f.preOut = x;
            return act.getActivation(x.dup(), false);
        }

        @Override
        INDArray backward(INDArray eps, Frame f) {
            return act.backprop(f.preOut.dup(), eps).getFirst();
        }
    }

    /** libnd4j 2-D conv/pool integer arguments: kH kW sH sW pH pW dH dW sameMode dataFormat(0=NCHW) [wFormat]. */
    private static int[] convArgs(int[] k, int[] s, int[] p, int[] d, ConvolutionMode mode, int wFormat) {
        boolean same = mode == ConvolutionMode.Same;
        if (mode == ConvolutionMode.Causal) {
            throw new IllegalArgumentException("network: causal convolution mode is not supported");
        }
        int[] dil = d == null ? new int[] {1, 1} : d;
        return new int[] {k[0], k[1], s[0], s[1], same ? 0 : p[0], same ? 0 : p[1], dil[0], dil[1],
                same ? 1 : 0, 0, wFormat};
    }
}
