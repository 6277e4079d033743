package dev.mi4j.core.model;

import dev.mi4j.core.BackendInfo;
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
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A {@link DifferentiableClassifier} over a DL4J {@link MultiLayerNetwork}.
 *
 * <p>It runs its own inference-mode forward pass from the network's parameter arrays (which it
 * only reads) and back-propagates <em>input</em> epsilons layer by layer, never weight
 * gradients: dense layers cost one GEMM backwards instead of two; convolutions compute only the
 * input gradient (the transposed convolution) where the backend allows it.
 * {@code MultiLayerNetwork.calculateGradients} would do both and run in training mode (dropout
 * noise); see DL4J-NOTES.
 *
 * <p>Convolution paths (BENCHMARKS.md has the measurements). Plain natives: forward by im2col +
 * GEMM and backward by GEMM + col2im, one image at a time, NCHW. oneDNN natives: NHWC
 * convolutions and pools (no oneDNN reorders), libnd4j's conv2d forward, and the input gradient as
 * a forward conv2d of the epsilon with the flipped, transposed kernel (stride 1; else
 * conv2d_bp), or for a one-channel input as one GEMM over the batch + col2im. A max pool right
 * after a plain-ReLU convolution applies the ReLU mask to its own epsilon (exact, 4x fewer
 * elements). The system properties mi4j.conv.layout (nchw|nhwc), mi4j.conv.forward (op|gemm)
 * and mi4j.conv.backward (bp|input_bp|gemm|flip), read when a classifier is built, override
 * the automatic choice.
 *
 * <p>Supported layers: dense, output (softmax activation), 2-D convolution (NCHW networks, stride and
 * dilation of any size, Same/Truncate/Strict modes), max pooling, dropout and activation layers,
 * with any DL4J input preprocessor between them. Others are rejected at construction.
 *
 * <p>Speed: the input-gradient pass reuses its work arrays (layer outputs, pre-activations,
 * epsilons) from one call to the next while the batch size stays the same, and writes dense
 * layers' GEMMs straight into them: allocating a 1.6 MB ND4J array costs about as much as the
 * GEMM of the softmax model itself (see BENCHMARKS.md). Only the small results (cost,
 * probabilities) are fresh arrays; the gradient is a fresh copy, or is written into the
 * caller's buffer with {@link #inputGradient(INDArray, int[], Objective, INDArray)}.
 *
 * <p>Thread-safe: the input-gradient pass is synchronized on this instance (its work arrays are
 * shared); prediction and features allocate per call. The network is never modified.
 */
public final class NetworkClassifier implements DifferentiableClassifier {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    /**
     * On the oneDNN natives ({@link BackendInfo#oneDnn()}) convolutions run forward with libnd4j's
     * conv2d and back-propagate with conv2d_bp or a flipped-kernel conv2d, which have oneDNN kernels.
     */
    static final boolean ONEDNN = BackendInfo.oneDnn();
    /**
     * Convolution backward, from the system property mi4j.conv.backward, read when a classifier is
     * built: bp (conv2d_bp), input_bp (conv2d_input_bp per image), gemm (GEMM + col2im per image),
     * flip (conv2d of the epsilon with the flipped, transposed kernel: stride 1 only), or auto
     * (default): flip on oneDNN where it applies, else gemm.
     */
    static String convBackwardMode() {
        return System.getProperty("mi4j.conv.backward", "auto");
    }

    /**
     * Memory layout of convolutions and max pools (mi4j.conv.layout): nchw, nhwc, or auto (nhwc on
     * oneDNN, where it saves oneDNN's reorders, else nchw). NHWC runs libnd4j's conv2d forward and
     * the flipped-kernel (or conv2d_bp) backward; the layout changes at the first and last of them.
     */
    static String convLayoutMode() {
        return System.getProperty("mi4j.conv.layout", "auto");
    }

    /** Convolution forward (mi4j.conv.forward): op (libnd4j conv2d), gemm (im2col + GEMM per image), or auto: op on oneDNN, else gemm. */
    static String convForwardMode() {
        return System.getProperty("mi4j.conv.forward", "auto");
    }

    private final MultiLayerNetwork network;
    private final ImageShape shape;
    private final int numClasses;
    private final DataType dataType;
    private final List<Step> steps;
    private final AtomicLong queries = new AtomicLong();
    /** Work arrays of the input-gradient pass for the last batch size; guarded by this. */
    private Frame[] scratch;

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
        for (int i = 0; i + 1 < s.size(); i++) {
            // A plain-ReLU convolution followed directly by a max pool: the pool applies the ReLU
            // mask to its own (4x smaller) epsilon, and the convolution skips its ReLU backprop.
            if (s.get(i) instanceof Conv c && c.plainRelu && s.get(i + 1) instanceof MaxPool m && m.pre == null) {
                c.reluMaskedByPool = true;
                m.masksRelu = true;
            }
        }
        boolean nhwc = switch (convLayoutMode()) {
            case "nhwc" -> true;
            case "nchw" -> false;
            default -> ONEDNN;
        };
        if (nhwc) {
            for (Step st : s) {
                if (st instanceof Conv c) {
                    c.useNhwc();
                } else if (st instanceof MaxPool m) {
                    m.useNhwc();
                }
            }
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
        Frame[] frames = forward(x, steps.size(), newFrames());
        return softmax(frames[steps.size() - 1].preOut, (int) x.size(0));
    }

    /** Not counted as queries: features belong to the evaluation side, not to the attacked API. */
    @Override
    public INDArray features(INDArray images) {
        INDArray x = checkImages(images);
        Frame[] frames = forward(x, steps.size() - 1, newFrames());
        return frames[steps.size() - 1].input.dup();
    }

    @Override
    public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
        return inputGradient(images, targets, objective, null);
    }

    /**
     * As {@link #inputGradient(INDArray, int[], Objective)}; a non-null {@code gradientOut} of the
     * images' shape receives the gradient and is returned as {@link InputGradient#gradient()}.
     */
    @Override
    public synchronized InputGradient inputGradient(INDArray images, int[] targets, Objective objective,
                                                    INDArray gradientOut) {
        INDArray x = checkImages(images);
        if (gradientOut != null && !Arrays.equals(gradientOut.shape(), images.shape())) {
            throw new IllegalArgumentException("gradientOut: expected shape " + Arrays.toString(images.shape())
                    + ", got " + Arrays.toString(gradientOut.shape()));
        }
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
        if (scratch == null || scratch[0].batch != n) {
            scratch = newFrames();   // a new batch size: the old work arrays are garbage
        }
        Frame[] frames = forward(x, steps.size(), scratch);
        int last = steps.size() - 1;
        double[][] z = rows(frames[last].preOut, n, numClasses);
        double[] cost = new double[n];
        double[][] p = new double[n][];
        double[][] dz = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = softmaxRow(z[i]);
            dz[i] = new double[numClasses];
            cost[i] = objectiveRow(objective, z[i], p[i], targets[i], dz[i]);
        }
        // The logits' epsilon goes into a reused [n, classes] array: no ND4J allocation.
        Frame out = frames[last];
        out.outputEps = reuse(out.outputEps, dataType, n, numClasses);
        double[] flat = new double[n * numClasses];
        for (int i = 0; i < n; i++) {
            System.arraycopy(dz[i], 0, flat, i * numClasses, numClasses);
        }
        out.outputEps.data().setData(flat);
        INDArray eps = out.outputEps;
        for (int i = last; i >= 0; i--) {
            Step step = steps.get(i);
            Frame f = frames[i];
            eps = step.backward(eps, f);
            if (f.toNhwc) {
                eps = f.nchwEps.apply(eps, false);
            }
            if (step.pre != null) {
                eps = unflatten(step.pre, eps, n);
            }
            if (f.toNchw) {
                eps = f.nhwcEps.apply(eps, true);
            }
        }
        // eps may be a work array (reused by the next call): hand out a copy or the caller's buffer.
        INDArray gradient = gradientOut == null ? eps.reshape(x.shape()).dup() : gradientOut.assign(eps.reshape(x.shape()));
        return new InputGradient(Nd4j.createFromArray(cost).castTo(dataType),
                Nd4j.create(p).castTo(dataType), gradient);
    }

    /** The rows of an [n, k] matrix as doubles; a single bulk read for a plain c-order array (toDoubleMatrix copies per row). */
    private static double[][] rows(INDArray m, int n, int k) {
        INDArray c = isPlainBlock(m) ? m : m.dup('c');
        double[] flat = c.data().asDouble();
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) {
            r[i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
        }
        return r;
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

    /** Softmax of [n, classes] logits, in double as {@link #inputGradient} computes it; one bulk read, one array out. */
    private INDArray softmax(INDArray logits, int n) {
        double[][] z = rows(logits, n, numClasses);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = softmaxRow(z[i]);
        }
        return Nd4j.create(p).castTo(dataType);
    }

    // ---------------------------------------------------------------- forward pass

    private INDArray checkImages(INDArray images) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4 || images.size(1) != shape.channels() || images.size(2) != shape.height()
                || images.size(3) != shape.width()) {
            throw new IllegalArgumentException("images: expected [n, " + shape.channels() + ", " + shape.height()
                    + ", " + shape.width() + "], got " + Arrays.toString(images.shape()));
        }
        if (images.dataType() != dataType) {
            return images.castTo(dataType);
        }
        // The layers slice images and reshape them in place (im2col per image, NHWC as a reshape):
        // they take plain c-order arrays, so a view (a sub-batch) or an f-order array is copied once.
        return isPlainBlock(images) ? images : images.dup('c');
    }

    /**
     * True for a c-order array that is its whole buffer, in order: offset 0, as long as its
     * buffer, c strides (any stride on a size-1 dimension). A reshape of such an array is one too
     * (ND4J flags it as a view all the same); a sub-batch, a permutation or an f-order array is not.
     * (ND4J's Shape.hasDefaultStridesForShape says false for [n, 1, h, w] arrays with c strides.)
     */
    private static boolean isPlainBlock(INDArray x) {
        if (x.ordering() != 'c' || x.offset() != 0 || x.data().length() != x.length()) {
            return false;
        }
        long[] shape = x.shape();
        long[] stride = x.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
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
            // before an NHWC layer. backward() undoes them in reverse order.
            f.toNchw = xNhwc && (!step.nhwc || step.pre != null);
            if (f.toNchw) {
                x = f.nchwIn.apply(x, false);
                xNhwc = false;
            }
            if (step.pre != null) {
                x = flatten(step.pre, x, n);
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
            x = step.forward(x, frames[i]);
        }
        return frames;
    }

    /**
     * What one layer's backward pass needs from its forward pass, and the layer's work arrays
     * (allocated on first use, reused while the batch size stays the same).
     */
    private static final class Frame {
        int batch = -1;
        INDArray input;
        INDArray preOut;
        INDArray out;
        INDArray outputEps;   // final layer only: dCost/dLogits
        INDArray inputEps;
        INDArray weightEps;   // scratch outputs of conv2d_bp (oneDNN build), never read
        INDArray biasEps;
        INDArray maskedEps;   // max pool after a ReLU convolution: its epsilon with the ReLU mask applied
        boolean toNchw;       // layout changes before this layer (see forward) and their buffers
        boolean toNhwc;
        final Relayout nchwIn = new Relayout();
        final Relayout nhwcIn = new Relayout();
        final Relayout nchwEps = new Relayout();
        final Relayout nhwcEps = new Relayout();
        INDArray col;         // convolution by GEMM + col2im: one image's columns [1, C, kH, kW, oH, oW]
        INDArray flipped;     // convolution backward by a forward conv2d: the flipped kernel [in, out, kH, kW]
    }

    /**
     * One layout change (NCHW to NHWC or back) and the c-order buffer it reuses. With one channel
     * the change is a reshaped view of its input, no copy; that view is returned but never kept as
     * the buffer: the next call would otherwise copy its input into the previous caller's array
     * (a view of the caller's images, or of another layer's work array).
     */
    private static final class Relayout {
        private INDArray buffer;

        /** x [n, c, h, w] as NHWC (toNhwc), or x [n, h, w, c] as NCHW. */
        INDArray apply(INDArray x, boolean toNhwc) {
            long[] s = x.shape();
            long[] t = toNhwc ? new long[] {s[0], s[2], s[3], s[1]} : new long[] {s[0], s[3], s[1], s[2]};
            long channels = toNhwc ? s[1] : s[3];
            if (channels == 1 && isPlainBlock(x)) {
                return x.reshape('c', t);
            }
            INDArray p = toNhwc ? x.permute(0, 2, 3, 1) : x.permute(0, 3, 1, 2);
            buffer = reuse(buffer, x.dataType(), t).assign(p);
            return buffer;
        }
    }

    /**
     * A layer's input preprocessor. DL4J's CNN-to-dense flattening copies its input (10 MB for a
     * 256-image query batch, more time than the GEMM after it); for a whole c-order NCHW block it
     * is a reshape, done here without the copy. Other preprocessors run as DL4J's.
     */
    private static INDArray flatten(InputPreProcessor pre, INDArray x, int n) {
        if (pre instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW && x.rank() == 4
                && isPlainBlock(x)) {
            return x.reshape('c', x.size(0), x.length() / x.size(0));
        }
        return pre.preProcess(x, n, NO_WS);
    }

    /** The backward of {@link #flatten}: the epsilon back to [n, c, h, w], a reshape where flatten was one. */
    private static INDArray unflatten(InputPreProcessor pre, INDArray eps, int n) {
        if (pre instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW && eps.rank() == 2
                && isPlainBlock(eps)) {
            return eps.reshape('c', eps.size(0), c.getNumChannels(), c.getInputHeight(), c.getInputWidth());
        }
        return pre.backprop(eps, n, NO_WS);
    }

    /** {@code current} when it has the given shape, else a new c-order array of that shape. */
    private static INDArray reuse(INDArray current, DataType type, long... shape) {
        return current != null && current.dataType() == type && Arrays.equals(current.shape(), shape)
                ? current : Nd4j.create(type, shape, 'c');
    }

    // ---------------------------------------------------------------- layers

    private abstract static class Step {
        final InputPreProcessor pre;
        /** Takes and returns NHWC arrays (convolutions and max pools in NHWC mode). */
        boolean nhwc;

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
            long n = x.size(0);
            INDArray z = f.preOut = reuse(f.preOut, x.dataType(), n, w.size(1));
            Nd4j.gemm(x, w, z, false, false, 1.0, 0.0);
            if (b != null) {
                z.addiRowVector(b);
            }
            if (act == null) {
                return z;
            }
            f.out = reuse(f.out, z.dataType(), z.shape()).assign(z);
            return act.getActivation(f.out, false);
        }

        @Override
        INDArray backward(INDArray eps, Frame f) {
            // IActivation.backprop may overwrite its first argument; preOut is not needed afterwards.
            INDArray delta = act == null ? eps : act.backprop(f.preOut, eps).getFirst();
            // c order, so that a flattening preprocessor's backprop is a reshape, not a copy.
            f.inputEps = reuse(f.inputEps, delta.dataType(), delta.size(0), w.size(0));
            Nd4j.gemm(delta, w, f.inputEps, false, true, 1.0, 0.0);
            return f.inputEps;
        }
    }

    private static final class Conv extends Step {
        private final INDArray w;  // [out, in, kH, kW]: libnd4j weight format 1
        private final INDArray w2; // the same weights as an [out, in*kH*kW] matrix (a view, or a copy per call)
        private final INDArray b;
        private final IActivation act;
        private final boolean plainRelu;
        /** Set when the next layer is a max pool that applies this layer's ReLU mask to its epsilon. */
        boolean reluMaskedByPool;
        private int[] args;
        private boolean forwardByGemm;
        private int[] flipArgs;
        private Backward backward;

        Conv(InputPreProcessor pre, org.deeplearning4j.nn.api.Layer layer, ConvolutionLayer conf) {
            super(pre);
            if (conf.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new IllegalArgumentException("network: only NCHW convolutions are supported");
            }
            this.w = layer.getParam("W");
            INDArray m = w.reshape('c', w.size(0), w.length() / w.size(0));
            // A view follows later changes to the parameters; a copy would not (then reshape per call).
            this.w2 = m.data() == w.data() ? m : null;
            INDArray bias = conf.hasBias() ? layer.getParam("b") : null;
            this.b = bias == null ? null : bias.reshape(bias.length());
            this.act = conf.getActivationFn();
            this.plainRelu = act instanceof ActivationReLU r && r.getMax() == null
                    && (r.getThreshold() == null || r.getThreshold() == 0.0)
                    && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0.0);
            this.args = convArgs(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(),
                    conf.getConvolutionMode(), 1);
            this.forwardByGemm = switch (convForwardMode()) {
                case "gemm" -> true;
                case "op" -> false;
                default -> !ONEDNN;
            };
            this.flipArgs = flipArgs(args);
            this.backward = switch (convBackwardMode()) {
                case "bp" -> Backward.BP;
                case "input_bp" -> Backward.INPUT_BP;
                case "gemm" -> Backward.GEMM;
                case "flip" -> {
                    if (flipArgs == null) {
                        throw new IllegalArgumentException("mi4j.conv.backward=flip needs stride 1 (and an odd kernel in Same mode)");
                    }
                    yield Backward.FLIP;
                }
                // On oneDNN, a forward convolution with the flipped kernel costs less than
                // conv2d_bp, which also computes the weight gradient (see BENCHMARKS.md).
                default -> ONEDNN ? (flipArgs != null ? Backward.FLIP : Backward.BP) : Backward.GEMM;
            };
        }

        /**
         * conv2d arguments of the input gradient as a forward convolution (stride 1 only): the
         * epsilon correlated with the flipped kernel, padded by d*(k-1) - p on each side, gives
         * back the input size. Null where that does not apply (stride > 1, Same mode with an
         * even kernel, padding beyond d*(k-1)).
         */
        private static int[] flipArgs(int[] a) {
            if (a[2] != 1 || a[3] != 1) {
                return null;
            }
            if (a[8] == 1) {
                // Same mode, stride 1: padding d*(k-1)/2 on both sides for odd kernels, and Same again.
                return a[0] % 2 == 1 && a[1] % 2 == 1 ? a.clone() : null;
            }
            int ph = a[6] * (a[0] - 1) - a[4];
            int pw = a[7] * (a[1] - 1) - a[5];
            if (ph < 0 || pw < 0) {
                return null;
            }
            int[] r = a.clone();
            r[4] = ph;
            r[5] = pw;
            return r;
        }

        /** W'[in, out, i, j] = W[out, in, kH-1-i, kW-1-j] into a reused array (the weights may change between calls). */
        private INDArray flippedWeights(Frame f) {
            long o = w.size(0);
            long c = w.size(1);
            int kh = (int) w.size(2);
            int kw = (int) w.size(3);
            f.flipped = reuse(f.flipped, w.dataType(), c, o, kh, kw);
            double[] src = w.dup('c').data().asDouble();
            double[] dst = new double[src.length];
            for (int oo = 0; oo < o; oo++) {
                for (int cc = 0; cc < c; cc++) {
                    int from = (oo * (int) c + cc) * kh * kw;
                    int to = (cc * (int) o + oo) * kh * kw;
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            dst[to + i * kw + j] = src[from + (kh - 1 - i) * kw + (kw - 1 - j)];
                        }
                    }
                }
            }
            f.flipped.data().setData(dst);
            return f.flipped;
        }

        /** Switches to NHWC: libnd4j's conv2d forward; backward by the flipped kernel where it applies, else conv2d_bp. */
        void useNhwc() {
            nhwc = true;
            args = args.clone();
            args[9] = 1;
            if (flipArgs != null) {
                flipArgs = flipArgs.clone();
                flipArgs[9] = 1;
            }
            forwardByGemm = false;
            boolean oneChannel = w.size(1) == 1;
            if (convBackwardMode().equals("auto")) {
                // One input channel (the image): one GEMM for the whole batch + col2im beat
                // oneDNN's flipped 16 -> 1 convolution 2x at 40 images (see BENCHMARKS.md).
                backward = oneChannel ? Backward.GEMM : flipArgs != null ? Backward.FLIP : Backward.BP;
            } else if (backward == Backward.INPUT_BP || backward == Backward.GEMM && !oneChannel) {
                throw new IllegalArgumentException("mi4j.conv.backward=" + convBackwardMode()
                        + " is NCHW only (gemm: or one input channel)");
            }
        }

        private INDArray weightMatrix() {
            return w2 != null ? w2 : w.reshape('c', w.size(0), w.length() / w.size(0));
        }

        /** Top and left padding for an input of h x wd and an output of oh x ow (libnd4j's rule in Same mode). */
        private int[] padding(long h, long wd, long oh, long ow) {
            if (args[8] == 0) {
                return new int[] {args[4], args[5]};
            }
            long ekh = (long) (args[0] - 1) * args[6] + 1;
            long ekw = (long) (args[1] - 1) * args[7] + 1;
            return new int[] {(int) Math.max(0, ((oh - 1) * args[2] + ekh - h) / 2),
                    (int) Math.max(0, ((ow - 1) * args[3] + ekw - wd) / 2)};
        }

        @Override
        INDArray forward(INDArray x, Frame f) {
            if (forwardByGemm) {
                forwardByGemm(x, f);
            } else {
                INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
                f.preOut = exec("conv2d", in, args, f.preOut);
            }
            if (plainRelu) {
                // relu(z) > 0 exactly where z > 0: backprop can read the output, so the
                // activation runs in place, without a copy of the pre-activation.
                f.out = f.preOut;
                return act.getActivation(f.out, false);
            }
            f.out = reuse(f.out, f.preOut.dataType(), f.preOut.shape()).assign(f.preOut);
            return act.getActivation(f.out, false);
        }

        /**
         * im2col + GEMM, one image at a time: the image's columns (1.5 MB for 16 channels at
         * 56x46) stay in cache between the two, where libnd4j's conv2d builds the columns of the
         * whole batch first (60 MB at 40 images) and was measured 2x slower per image.
         */
        private void forwardByGemm(INDArray x, Frame f) {
            long n = x.size(0);
            long c = x.size(1);
            long h = x.size(2);
            long wd = x.size(3);
            long oh;
            long ow;
            long ekh = (long) (args[0] - 1) * args[6] + 1;
            long ekw = (long) (args[1] - 1) * args[7] + 1;
            if (args[8] == 1) {
                oh = (h + args[2] - 1) / args[2];
                ow = (wd + args[3] - 1) / args[3];
            } else {
                oh = (h + 2L * args[4] - ekh) / args[2] + 1;
                ow = (wd + 2L * args[5] - ekw) / args[3] + 1;
            }
            int[] pad = padding(h, wd, oh, ow);
            long o = w.size(0);
            f.preOut = reuse(f.preOut, x.dataType(), n, o, oh, ow);
            f.col = reuse(f.col, x.dataType(), 1, c, args[0], args[1], oh, ow);
            INDArray colM = f.col.reshape('c', c * args[0] * args[1], oh * ow);
            INDArray zM = f.preOut.reshape('c', n, o, oh * ow);
            INDArray wm = weightMatrix();
            INDArray bc = b == null ? null : b.reshape(o, 1);
            int[] a = {args[0], args[1], args[2], args[3], pad[0], pad[1], args[6], args[7], 0};
            for (long i = 0; i < n; i++) {
                INDArrayIndex row = NDArrayIndex.interval(i, i + 1);
                INDArray xi = x.get(row, NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(xi).addIntegerArguments(a)
                        .addFloatingPointArguments(0.0).addOutputs(f.col).build());
                INDArray zi = zM.slice(i);
                Nd4j.gemm(wm, colM, zi, false, false, 1.0, 0.0);
                if (bc != null) {
                    zi.addiColumnVector(bc);
                }
            }
        }

        @Override
        INDArray backward(INDArray eps, Frame f) {
            // After a max pool that applied the ReLU mask (see MaxPool.masksRelu), eps is already dL/dz.
            INDArray delta = reluMaskedByPool ? eps : act.backprop(f.preOut, eps).getFirst();
            long n = delta.size(0);
            f.inputEps = reuse(f.inputEps, delta.dataType(), f.input.shape());
            if (backward == Backward.BP) {
                // The oneDNN build runs conv2d_bp through oneDNN (measured 10x+ faster than libnd4j's
                // own conv2d_input_bp at 40 images, weight gradient included); the weight and bias
                // gradients go to reused scratch arrays and are ignored.
                f.weightEps = reuse(f.weightEps, w.dataType(), w.shape());
                INDArray[] in = b == null ? new INDArray[] {f.input, w, delta} : new INDArray[] {f.input, w, b, delta};
                INDArray[] out = {f.inputEps, f.weightEps};
                if (b != null) {
                    f.biasEps = reuse(f.biasEps, b.dataType(), b.shape());
                    out = new INDArray[] {f.inputEps, f.weightEps, f.biasEps};
                }
                Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(in).addIntegerArguments(args).addOutputs(out).build());
                return f.inputEps;
            }
            if (backward == Backward.GEMM) {
                return backwardByGemm(delta, f);
            }
            if (backward == Backward.FLIP) {
                Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(delta, flippedWeights(f))
                        .addIntegerArguments(flipArgs).addOutputs(f.inputEps).build());
                return f.inputEps;
            }
            // conv2d_input_bp computes only dL/dInput (a transposed convolution). One image per
            // call: libnd4j's batched version was measured 8-10x slower per image than single
            // images (40 x [16, 56, 46] on 2 cores), its working set far beyond the caches.
            long[] one = f.input.shape().clone();
            one[0] = 1;
            INDArray inShape = Nd4j.createFromArray(one);
            for (long i = 0; i < n; i++) {
                INDArrayIndex row = NDArrayIndex.interval(i, i + 1);
                INDArray d = delta.get(row, NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                INDArray o = f.inputEps.get(row, NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                Nd4j.exec(DynamicCustomOp.builder("conv2d_input_bp").addInputs(inShape, w, d)
                        .addIntegerArguments(args).addOutputs(o).build());
            }
            return f.inputEps;
        }

        /**
         * dL/dInput as the transposed convolution, one image at a time: the columns
         * W^T [in*kH*kW, out] x delta [out, oH*oW], then col2im sums them into the image.
         */
        private INDArray backwardByGemm(INDArray delta, Frame f) {
            if (nhwc) {
                return backwardByOneGemm(delta, f);
            }
            long n = delta.size(0);
            long c = f.input.size(1);
            long h = f.input.size(2);
            long wd = f.input.size(3);
            long o = delta.size(1);
            long oh = delta.size(2);
            long ow = delta.size(3);
            INDArray d = isPlainBlock(delta) ? delta : delta.dup('c');
            int[] pad = padding(h, wd, oh, ow);
            f.col = reuse(f.col, delta.dataType(), 1, c, args[0], args[1], oh, ow);
            INDArray colM = f.col.reshape('c', c * args[0] * args[1], oh * ow);
            INDArray dM = d.reshape('c', n, o, oh * ow);
            INDArray wm = weightMatrix();
            int[] a = {args[2], args[3], pad[0], pad[1], (int) h, (int) wd, args[6], args[7], 0};
            for (long i = 0; i < n; i++) {
                Nd4j.gemm(wm, dM.slice(i), colM, true, false, 1.0, 0.0);
                INDArray out = f.inputEps.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all());
                Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(f.col).addIntegerArguments(a).addOutputs(out).build());
            }
            return f.inputEps;
        }

        /**
         * NHWC with one input channel: the columns of the whole batch in one GEMM, delta
         * [n*oH*oW, out] x W [out, kH*kW] -> [n, oH, oW, 1, kH, kW], then col2im reads them
         * through a permuted view. With one channel, the NHWC gradient is also NCHW memory.
         */
        private INDArray backwardByOneGemm(INDArray delta, Frame f) {
            long n = delta.size(0);
            long h = f.input.size(1);
            long wd = f.input.size(2);
            long oh = delta.size(1);
            long ow = delta.size(2);
            long o = delta.size(3);
            INDArray d = isPlainBlock(delta) ? delta : delta.dup('c');
            int[] pad = padding(h, wd, oh, ow);
            f.col = reuse(f.col, delta.dataType(), n, oh, ow, 1, args[0], args[1]);
            Nd4j.gemm(d.reshape('c', n * oh * ow, o), weightMatrix(), f.col.reshape('c', n * oh * ow, (long) args[0] * args[1]),
                    false, false, 1.0, 0.0);
            INDArray out = f.inputEps.reshape('c', n, 1, h, wd);
            int[] a = {args[2], args[3], pad[0], pad[1], (int) h, (int) wd, args[6], args[7], 0};
            Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(f.col.permute(0, 3, 4, 5, 1, 2))
                    .addIntegerArguments(a).addOutputs(out).build());
            return f.inputEps;
        }
    }

    /** How a convolution back-propagates its input epsilon. */
    private enum Backward {
        /** conv2d_bp (input, weight and bias gradients; oneDNN has an implementation). */
        BP,
        /** conv2d_input_bp, one image per call. */
        INPUT_BP,
        /** A GEMM per image into a column buffer, then col2im. */
        GEMM,
        /** conv2d of the epsilon with the flipped, transposed kernel (stride 1). */
        FLIP
    }

    private static final class MaxPool extends Step {
        private final int[] args;
        /** Set when the previous layer is a plain-ReLU convolution: backward applies its ReLU mask. */
        boolean masksRelu;

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

        void useNhwc() {
            nhwc = true;
            args[10] = 1;
        }

        @Override
        INDArray forward(INDArray x, Frame f) {
            f.out = exec("maxpool2d", new INDArray[] {x}, args, f.out);
            return f.out;
        }

        @Override
        INDArray backward(INDArray eps, Frame f) {
            INDArray e = eps;
            if (masksRelu) {
                // The pool's gradient goes to one maximum of each window, whose ReLU output is the
                // pooled value: its ReLU derivative is 1 exactly where the pooled output is > 0.
                // Masking here is the same arithmetic as relu_bp on the 4x larger layer below.
                f.maskedEps = reuse(f.maskedEps, eps.dataType(), eps.shape());
                Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(f.out, eps).addOutputs(f.maskedEps).build());
                e = f.maskedEps;
            }
            f.inputEps = exec("maxpool2d_bp", new INDArray[] {f.input, e}, args, f.inputEps);
            return f.inputEps;
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
            f.out = reuse(f.out, x.dataType(), x.shape()).assign(x);
            return act.getActivation(f.out, false);
        }

        @Override
        INDArray backward(INDArray eps, Frame f) {
            // backprop overwrites its first argument; preOut is the previous layer's output (or the images).
            f.inputEps = reuse(f.inputEps, f.preOut.dataType(), f.preOut.shape()).assign(f.preOut);
            return act.backprop(f.inputEps, eps).getFirst();
        }
    }

    /**
     * Runs a libnd4j op; into its previous output {@code out} when there is one (same batch
     * size, so the same output shape), else into a newly allocated output that is returned.
     */
    private static INDArray exec(String op, INDArray[] inputs, int[] args, INDArray out) {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder(op).addInputs(inputs).addIntegerArguments(args);
        if (out != null) {
            b.addOutputs(out);
        }
        INDArray[] r = Nd4j.exec(b.build());
        return out != null ? out : r[0];
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
