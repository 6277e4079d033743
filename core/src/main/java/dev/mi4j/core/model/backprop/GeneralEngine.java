package dev.mi4j.core.model.backprop;

import dev.mi4j.core.image.ImageShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Input gradients of any {@link MultiLayerNetwork} or {@link ComputationGraph} that ends in a
 * softmax, through DL4J's own layer and vertex backprop, in inference mode.
 *
 * <h2>Why it runs on a shadow network</h2>
 * DL4J's per-layer backprop ({@code Layer.backpropGradient}) is written for training: it
 * re-runs the layer's forward pass with {@code training = true}, so it applies dropout (and
 * keeps the mask in the configuration's shared {@code IDropout} object), DropConnect and weight
 * noise; it writes the weight gradients into the network's gradient buffers (which a network
 * that was never trained does not even have); and batch normalisation differentiates through
 * the batch statistics. {@code calculateGradients} has the same training-mode forward pass
 * (DL4J-NOTES). So this engine never touches the network it is given: it builds, once, a
 * <em>shadow</em> network from a clone of the configuration with
 * <ul>
 *   <li>dropout and weight noise removed from every layer (both are inference-mode identities),</li>
 *   <li>frozen-layer wrappers unwrapped (a {@code FrozenLayer} passes no epsilon back; frozen
 *       only matters to training),</li>
 *   <li>the softmax replaced by the identity, so that the shadow's output is the logits: an
 *       {@code OutputLayer} becomes a {@code DenseLayer} with the same parameters, a
 *       {@code LossLayer} an {@code ActivationLayer} (DL4J's output layers back-propagate from
 *       labels, not from an epsilon),</li>
 *   <li>workspaces and caches off (DL4J-NOTES: with workspaces on, a ComputationGraph's input
 *       epsilon is a leaked workspace pointer),</li>
 * </ul>
 * and initialises it on the <em>same</em> parameter array, not a copy ({@code init(params,
 * false)}): the shadow reads the network's current weights and batch-norm running statistics,
 * including in-place updates made after construction (training, {@code setParams}). Weight
 * gradients, which DL4J computes anyway, go to one scratch buffer of the size of the largest
 * layer and are dropped. The shadow has no listeners and no updater.
 *
 * <h2>Inference mode</h2>
 * The forward pass is each layer's {@code activate(x, training = false)}. The backward pass is
 * each layer's or vertex's own {@code backpropGradient}/{@code doBackward}, except batch
 * normalisation, whose DL4J backprop is the batch-statistics (training) derivative: in
 * inference mode it is the per-channel affine map y = gamma (x - mean) / sqrt(var + eps) + beta
 * with the running mean and variance, and its input epsilon is eps * gamma / sqrt(var + eps),
 * computed here from the same parameters DL4J's forward pass reads.
 *
 * <h2>What it accepts</h2>
 * One input, one output. The network must end in a softmax: an {@code OutputLayer},
 * {@code DenseLayer}, {@code ActivationLayer} or {@code LossLayer} with a softmax activation,
 * optionally followed by identity-activation {@code LossLayer}/{@code ActivationLayer}/dropout
 * layers (as Keras imports end). A network whose first layer is a dense layer without input
 * preprocessor gets its images flattened to [n, c*h*w]. Any layer whose backprop gives no input
 * epsilon is reported by name. A network that outputs its logits itself (no softmax: many
 * imported models end that way) is taken as it is with {@link #ofLogits}; the caller applies the
 * softmax (NetworkClassifier computes probabilities from the logits anyway).
 *
 * <p>Thread-safe: every method is synchronized (the shadow holds each layer's input).
 */
public final class GeneralEngine implements GradientEngine {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private final Shadow shadow;
    private final ImageShape shape;
    private final boolean flatInput;
    private final int numClasses;

    /** @throws IllegalArgumentException naming the part of the network the engine cannot handle */
    public GeneralEngine(MultiLayerNetwork network, ImageShape shape) {
        this(new Stack(Objects.requireNonNull(network, "network"), null), shape);
    }

    /** @throws IllegalArgumentException naming the part of the graph the engine cannot handle */
    public GeneralEngine(ComputationGraph graph, ImageShape shape) {
        this(new Graph(Objects.requireNonNull(graph, "graph"), false), shape);
    }

    /**
     * An engine over a MultiLayerNetwork or a single-input, single-output ComputationGraph whose
     * output <em>is</em> the logits (its last layer has no softmax): no softmax is looked for, and
     * an OutputLayer or LossLayer at the end is kept with its own (identity) activation.
     *
     * @throws IllegalArgumentException naming the part of the network the engine cannot handle
     */
    public static GeneralEngine ofLogits(org.deeplearning4j.nn.api.Model model, ImageShape shape) {
        if (model instanceof MultiLayerNetwork net) {
            return new GeneralEngine(new Stack(net, NetworkVjp.Output.AS_IS), shape);
        }
        if (model instanceof ComputationGraph graph) {
            return new GeneralEngine(new Graph(graph, true), shape);
        }
        throw new IllegalArgumentException("model: expected a MultiLayerNetwork or a ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getSimpleName()));
    }

    private GeneralEngine(Shadow shadow, ImageShape shape) {
        this.shadow = shadow;
        this.shape = Objects.requireNonNull(shape, "shape");
        this.flatInput = shadow.takesFlatInput();
        // The number of classes, and a check that the network takes images of this shape: one image of zeros.
        INDArray z = logits(Nd4j.zeros(shadow.dataType(), shape.batchShape(1)));
        if (z.rank() != 2 || z.size(0) != 1) {
            throw new IllegalArgumentException("network: its logits have shape " + Arrays.toString(z.shape())
                    + " for one image, expected [1, classes]");
        }
        this.numClasses = (int) z.size(1);
    }

    /** Number of classes: the width of the logits. */
    public int numClasses() {
        return numClasses;
    }

    @Override
    public synchronized INDArray logits(INDArray images) {
        try {
            return shadow.forward(in(images), (int) images.size(0));
        } finally {
            shadow.clear();
        }
    }

    @Override
    public synchronized INDArray features(INDArray images) {
        try {
            shadow.forward(in(images), (int) images.size(0));
            INDArray f = shadow.features();
            return f.reshape(f.size(0), f.length() / f.size(0)).dup();
        } finally {
            shadow.clear();
        }
    }

    @Override
    public synchronized INDArray inputGradient(INDArray images, LogitEpsilon epsilon) {
        int n = (int) images.size(0);
        try {
            INDArray logits = shadow.forward(in(images), n);
            double[] dz = epsilon.of(logits);
            if (dz.length != logits.length()) {
                throw new IllegalStateException("epsilon: expected " + logits.length() + " values, got " + dz.length);
            }
            INDArray eps = Nd4j.createFromArray(dz).reshape('c', logits.shape()).castTo(logits.dataType());
            return shadow.backward(eps, n);
        } finally {
            shadow.clear();
        }
    }

    private INDArray in(INDArray images) {
        return flatInput ? images.reshape('c', images.size(0), shape.size()) : images;
    }

    // ---------------------------------------------------------------- the shadow network

    /** The shadow of a MultiLayerNetwork or a ComputationGraph. */
    interface Shadow {
        DataType dataType();

        boolean takesFlatInput();

        /** Inference-mode forward pass; returns the logits and leaves every layer's input set. */
        INDArray forward(INDArray x, int n);

        /** After {@link #forward}: d cost / d logits -> d cost / d input. */
        INDArray backward(INDArray eps, int n);

        /** After {@link #forward}: the input of the layer that computes the logits. */
        INDArray features();

        /** Drops the layers' inputs and epsilons (memory). */
        void clear();
    }

    /**
     * The shadow of a MultiLayerNetwork. Its head: with {@code output} null, the network must end
     * in a softmax, which the shadow drops (its output is the logits: the classifier's case); else
     * the last layer is kept as {@link NetworkVjp} asks ({@link #makeOutputHead}).
     */
    static final class Stack implements Shadow {
        private final MultiLayerNetwork net;
        private final Layer[] layers;
        private final InputPreProcessor[] pre;
        private final int featuresLayer;
        private final INDArray[] inputs;

        Stack(MultiLayerNetwork original, NetworkVjp.Output output) {
            MultiLayerConfiguration conf = original.getLayerWiseConfigurations().clone();
            List<NeuralNetConfiguration> confs = conf.getConfs();
            for (NeuralNetConfiguration c : confs) {
                c.setLayer(forInference(c.getLayer()));
            }
            int head = confs.size() - 1;
            if (output != null) {
                makeOutputHead(confs.get(head), "layer " + head, output);
            } else {
                while (!makeLogitsHead(confs.get(head), "layer " + head)) {
                    if (head == 0) {
                        throw new IllegalArgumentException("network: no softmax layer found (the general path needs one)");
                    }
                    head--;
                }
            }
            conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
            conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
            conf.setCacheMode(CacheMode.NONE);
            this.net = new MultiLayerNetwork(conf);
            net.init(original.params(), false);
            this.layers = net.getLayers();
            this.pre = new InputPreProcessor[layers.length];
            for (int i = 0; i < layers.length; i++) {
                pre[i] = conf.getInputPreProcess(i);
            }
            // Features: the input of the last layer with parameters up to the head (the dense
            // layer before an ActivationLayer(softmax), the OutputLayer itself).
            int f = head;
            while (f > 0 && layers[f].numParams() == 0) {
                f--;
            }
            this.featuresLayer = f;
            this.inputs = new INDArray[layers.length];
            scratchGradients(Arrays.asList(layers), Layer::numParams, Layer::setBackpropGradientsViewArray,
                    original.params().dataType());
        }

        @Override
        public DataType dataType() {
            return net.params().dataType();
        }

        @Override
        public boolean takesFlatInput() {
            return pre[0] == null && flatLayer(layers[0].conf().getLayer());
        }

        @Override
        public INDArray forward(INDArray x, int n) {
            INDArray a = x;
            for (int i = 0; i < layers.length; i++) {
                layers[i].setInputMiniBatchSize(n);
                if (pre[i] != null) {
                    a = pre[i].preProcess(a, n, NO_WS);
                }
                inputs[i] = a;
                a = layers[i].activate(a, false, NO_WS);
            }
            return a;
        }

        @Override
        public INDArray backward(INDArray eps, int n) {
            INDArray e = eps;
            for (int i = layers.length - 1; i >= 0; i--) {
                e = layerBackward(layers[i], e, "layer " + i);
                if (pre[i] != null) {
                    e = pre[i].backprop(e, n, NO_WS);
                }
            }
            return e;
        }

        @Override
        public INDArray features() {
            return inputs[featuresLayer];
        }

        @Override
        public void clear() {
            Arrays.fill(inputs, null);
            for (Layer l : layers) {
                l.clear();
            }
        }
    }

    private static final class Graph implements Shadow {
        private final ComputationGraph graph;
        private final GraphVertex[] vertices;
        private final int[] order;
        private final int inputVertex;
        private final int outputVertex;
        private final int featuresVertex;
        private final List<String> inputConsumers;

        Graph(ComputationGraph original, boolean outputIsLogits) {
            ComputationGraphConfiguration conf = original.getConfiguration().clone();
            if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
                throw new IllegalArgumentException("graph: the general path needs one input and one output, got inputs "
                        + conf.getNetworkInputs() + " and outputs " + conf.getNetworkOutputs());
            }
            for (Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> v : conf.getVertices().entrySet()) {
                if (v.getValue() instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                    lv.getLayerConf().setLayer(forInference(lv.getLayerConf().getLayer()));
                }
            }
            String head = conf.getNetworkOutputs().get(0);
            while (!outputIsLogits) {
                if (!(conf.getVertices().get(head) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)) {
                    throw new IllegalArgumentException("graph: vertex \"" + head + "\" ("
                            + conf.getVertices().get(head).getClass().getSimpleName()
                            + ") is not a layer; the general path needs the output to end in a softmax layer");
                }
                if (makeLogitsHead(lv.getLayerConf(), "vertex \"" + head + "\"")) {
                    break;
                }
                List<String> from = conf.getVertexInputs().get(head);
                if (from == null || from.size() != 1 || conf.getNetworkInputs().contains(from.get(0))
                        || consumers(conf, from.get(0)) != 1) {
                    throw new IllegalArgumentException("graph: no softmax layer found on a single-input path before vertex \""
                            + head + "\" (the general path needs one)");
                }
                head = from.get(0);
            }
            if (outputIsLogits && conf.getVertices().get(head) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                makeOutputHead(lv.getLayerConf(), "vertex \"" + head + "\"", NetworkVjp.Output.AS_IS);
            }
            conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
            conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
            conf.setCacheMode(CacheMode.NONE);
            this.graph = new ComputationGraph(conf);
            graph.init(original.params(), false);
            this.vertices = graph.getVertices();
            this.order = graph.topologicalSortOrder();
            this.inputVertex = graph.getVertex(conf.getNetworkInputs().get(0)).getVertexIndex();
            this.outputVertex = graph.getVertex(conf.getNetworkOutputs().get(0)).getVertexIndex();
            String f = head;
            while (graph.getVertex(f).numParams() == 0 && conf.getVertexInputs().get(f).size() == 1
                    && graph.getVertex(conf.getVertexInputs().get(f).get(0)).hasLayer()) {
                f = conf.getVertexInputs().get(f).get(0);
            }
            this.featuresVertex = graph.getVertex(f).getVertexIndex();
            this.inputConsumers = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
                if (e.getValue().contains(conf.getNetworkInputs().get(0))) {
                    inputConsumers.add(e.getKey());
                }
            }
            scratchGradients(Arrays.asList(vertices), GraphVertex::numParams, GraphVertex::setBackpropGradientsViewArray,
                    original.params().dataType());
        }

        private static int consumers(ComputationGraphConfiguration conf, String vertex) {
            int c = 0;
            for (List<String> in : conf.getVertexInputs().values()) {
                for (String s : in) {
                    c += s.equals(vertex) ? 1 : 0;
                }
            }
            return c;
        }

        @Override
        public DataType dataType() {
            return graph.params().dataType();
        }

        @Override
        public boolean takesFlatInput() {
            for (String name : inputConsumers) {
                GraphVertex v = graph.getVertex(name);
                if (!(v instanceof org.deeplearning4j.nn.graph.vertex.impl.LayerVertex lv) || lv.getLayerPreProcessor() != null
                        || !flatLayer(lv.getLayer().conf().getLayer())) {
                    return false;
                }
            }
            return !inputConsumers.isEmpty();
        }

        @Override
        public INDArray forward(INDArray x, int n) {
            graph.setInputs(x);
            INDArray logits = null;
            for (int idx : order) {
                GraphVertex v = vertices[idx];
                INDArray out = v.isInputVertex() ? x : v.doForward(false, NO_WS);
                if (idx == outputVertex) {
                    logits = out;
                }
                VertexIndices[] to = v.getOutputVertices();
                if (to != null) {
                    for (VertexIndices c : to) {
                        vertices[c.getVertexIndex()].setInput(c.getVertexEdgeNumber(), out, NO_WS);
                    }
                }
            }
            return logits;
        }

        @Override
        public INDArray backward(INDArray eps, int n) {
            INDArray[] epsOf = new INDArray[vertices.length];
            epsOf[outputVertex] = eps;
            for (int k = order.length - 1; k >= 0; k--) {
                int idx = order[k];
                GraphVertex v = vertices[idx];
                if (v.isInputVertex() || epsOf[idx] == null) {
                    continue;   // the input, or a vertex that does not lead to the output
                }
                INDArray[] inEps = vertexBackward(v, epsOf[idx], n);
                VertexIndices[] from = v.getInputVertices();
                for (int j = 0; j < from.length; j++) {
                    if (inEps[j] == null) {
                        throw new IllegalArgumentException("graph: vertex \"" + v.getVertexName() + "\" ("
                                + describe(v) + ") gives no input gradient");
                    }
                    int src = from[j].getVertexIndex();
                    // A vertex feeding several others receives the sum of their epsilons (no in-place add:
                    // the arrays doBackward returns may be views of arrays a vertex still uses).
                    epsOf[src] = epsOf[src] == null ? inEps[j] : epsOf[src].add(inEps[j]);
                }
            }
            return epsOf[inputVertex];
        }

        private static INDArray[] vertexBackward(GraphVertex v, INDArray eps, int n) {
            if (v instanceof org.deeplearning4j.nn.graph.vertex.impl.LayerVertex lv
                    && lv.getLayer() instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization bn) {
                INDArray e = batchNormBackward(bn, eps, "vertex \"" + v.getVertexName() + "\"");
                if (lv.getLayerPreProcessor() != null) {
                    e = lv.getLayerPreProcessor().backprop(e, n, NO_WS);
                }
                return new INDArray[] {e};
            }
            v.setEpsilon(eps);
            Pair<Gradient, INDArray[]> r = v.doBackward(false, NO_WS);
            return r.getSecond();
        }

        private static String describe(GraphVertex v) {
            return v.hasLayer() ? v.getLayer().conf().getLayer().getClass().getSimpleName() : v.getClass().getSimpleName();
        }

        @Override
        public INDArray features() {
            return vertices[featuresVertex].getLayer().input();
        }

        @Override
        public void clear() {
            for (GraphVertex v : vertices) {
                v.clear();
            }
            graph.setInputs((INDArray[]) null);
        }
    }

    // ---------------------------------------------------------------- configuration and layers

    /**
     * A layer configuration as inference sees it: no dropout, no weight noise (both are
     * identities in inference mode, and DL4J's backprop would apply them), frozen wrappers
     * unwrapped. Applied to the shadow's cloned configuration only.
     */
    private static org.deeplearning4j.nn.conf.layers.Layer forInference(org.deeplearning4j.nn.conf.layers.Layer layer) {
        org.deeplearning4j.nn.conf.layers.Layer l = layer;
        while (true) {
            if (l instanceof FrozenLayer f) {
                String name = f.getLayerName();
                l = f.getLayer();
                if (l.getLayerName() == null) {
                    l.setLayerName(name);
                }
            } else if (l instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop f) {
                String name = f.getLayerName();
                l = f.getUnderlying();
                if (l.getLayerName() == null) {
                    l.setLayerName(name);
                }
            } else {
                break;
            }
        }
        strip(l);
        return l;
    }

    private static void strip(org.deeplearning4j.nn.conf.layers.Layer l) {
        l.setIDropout(null);
        if (l instanceof BaseLayer b) {
            b.setWeightNoise(null);
        }
        if (l instanceof BaseWrapperLayer w && w.getUnderlying() != null) {
            strip(w.getUnderlying());
        }
    }

    /**
     * If this layer applies the final softmax, replaces it in {@code c} (the shadow's clone) by
     * the same layer without the softmax and returns true; returns false for an identity layer
     * the walk back from the output may pass (a LossLayer becomes an ActivationLayer on the way);
     * refuses anything else.
     */
    private static boolean makeLogitsHead(NeuralNetConfiguration c, String where) {
        org.deeplearning4j.nn.conf.layers.Layer l = c.getLayer();
        if (l.getClass() == LossLayer.class) {
            LossLayer loss = (LossLayer) l;
            l = new ActivationLayer.Builder().activation(loss.getActivationFn()).name(loss.getLayerName()).build();
            c.setLayer(l);
        }
        IActivation act = activation(l);
        if (act instanceof ActivationSoftmax) {
            if (l.getClass() == OutputLayer.class) {
                OutputLayer o = (OutputLayer) l;
                // Same parameters (DefaultParamInitializer: W [nIn, nOut], then b), no softmax, no loss.
                c.setLayer(new DenseLayer.Builder().nIn(o.getNIn()).nOut(o.getNOut()).hasBias(o.hasBias())
                        .activation(new ActivationIdentity()).name(o.getLayerName()).build());
                return true;
            }
            if (l.getClass() == DenseLayer.class) {
                ((DenseLayer) l).setActivationFn(new ActivationIdentity());
                return true;
            }
            if (l.getClass() == ActivationLayer.class) {
                ((ActivationLayer) l).setActivationFn(new ActivationIdentity());
                return true;
            }
            throw new IllegalArgumentException("network: " + where + " (" + l.getClass().getSimpleName()
                    + ") applies the softmax; the general path takes the logits from an OutputLayer, DenseLayer,"
                    + " ActivationLayer or LossLayer");
        }
        boolean identity = act == null || act instanceof ActivationIdentity;
        if (identity && (l.getClass() == ActivationLayer.class || l.getClass() == DropoutLayer.class)) {
            return false;
        }
        throw new IllegalArgumentException("network: " + where + " (" + l.getClass().getSimpleName() + ", activation "
                + act + ") is not a softmax; the general path needs the network to end in a softmax (optionally followed"
                + " by identity layers)");
    }

    /**
     * The last layer of a {@link NetworkVjp}'s shadow: DL4J's output layers back-propagate from
     * labels, not from an epsilon, so an {@code OutputLayer} becomes a {@code DenseLayer} with the
     * same parameters and a {@code LossLayer} an {@code ActivationLayer}; with
     * {@link NetworkVjp.Output#PRE_ACTIVATION} the activation becomes the identity. Other output
     * layers (CNN or RNN losses, centre loss) are refused by name.
     */
    private static void makeOutputHead(NeuralNetConfiguration c, String where, NetworkVjp.Output output) {
        org.deeplearning4j.nn.conf.layers.Layer l = c.getLayer();
        boolean pre = output == NetworkVjp.Output.PRE_ACTIVATION;
        if (l.getClass() == OutputLayer.class) {
            OutputLayer o = (OutputLayer) l;
            c.setLayer(new DenseLayer.Builder().nIn(o.getNIn()).nOut(o.getNOut()).hasBias(o.hasBias())
                    .activation(pre ? new ActivationIdentity() : o.getActivationFn()).name(o.getLayerName()).build());
            return;
        }
        if (l.getClass() == LossLayer.class) {
            LossLayer loss = (LossLayer) l;
            c.setLayer(new ActivationLayer.Builder().activation(pre ? new ActivationIdentity() : loss.getActivationFn())
                    .name(loss.getLayerName()).build());
            return;
        }
        if (l instanceof BaseOutputLayer || l instanceof org.deeplearning4j.nn.conf.layers.LossLayer
                || l.getClass().getSimpleName().endsWith("LossLayer")) {
            throw new IllegalArgumentException("network: " + where + " (" + l.getClass().getSimpleName()
                    + ") is an output layer the general path cannot back-propagate an epsilon through (OutputLayer and"
                    + " LossLayer only)");
        }
        if (pre) {
            if (l instanceof ActivationLayer a) {
                a.setActivationFn(new ActivationIdentity());
            } else if (l instanceof BaseLayer b) {
                b.setActivationFn(new ActivationIdentity());
            }
        }
    }

    private static IActivation activation(org.deeplearning4j.nn.conf.layers.Layer l) {
        if (l instanceof ActivationLayer a) {
            return a.getActivationFn();
        }
        return l instanceof BaseLayer b ? b.getActivationFn() : null;
    }

    /** A layer that takes [n, features] input: images are flattened for it when it comes first without a preprocessor. */
    private static boolean flatLayer(org.deeplearning4j.nn.conf.layers.Layer l) {
        return l instanceof DenseLayer || l instanceof BaseOutputLayer;
    }

    /**
     * Gives every part with parameters a gradient view into one scratch buffer as long as the
     * largest part: DL4J's backprop writes weight gradients there, and they are dropped (each
     * part overwrites the previous one's).
     */
    private static <T> void scratchGradients(List<T> parts, java.util.function.ToLongFunction<T> numParams,
                                             java.util.function.BiConsumer<T, INDArray> setView, DataType type) {
        long max = 0;
        for (T p : parts) {
            max = Math.max(max, numParams.applyAsLong(p));
        }
        if (max == 0) {
            return;
        }
        INDArray scratch = Nd4j.create(type, 1, max);
        for (T p : parts) {
            long k = numParams.applyAsLong(p);
            if (k > 0) {
                setView.accept(p, scratch.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, k)));
            }
        }
    }

    /** One layer's input epsilon, inference mode (batch norm here; every other layer by its own backprop). */
    private static INDArray layerBackward(Layer layer, INDArray eps, String where) {
        if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization bn) {
            return batchNormBackward(bn, eps, where);
        }
        INDArray e = layer.backpropGradient(eps, NO_WS).getSecond();
        if (e == null) {
            throw new IllegalArgumentException("network: " + where + " (" + layer.conf().getLayer().getClass().getSimpleName()
                    + ") gives no input gradient");
        }
        return e;
    }

    /**
     * Batch normalisation in inference mode is y = gamma (x - mean) / sqrt(var + eps) + beta per
     * channel, with the running mean and variance: its input epsilon is eps * gamma / sqrt(var + eps).
     * The scale is computed from the parameters exactly as DL4J's forward pass reads them
     * (BatchNormalization.preOutput, built-in path): variance from log10(std) when the layer
     * stores that, and with lockGammaBeta the fixed gamma applied only when gamma != 1 and
     * beta != 0, as that forward pass does.
     */
    static INDArray batchNormBackward(org.deeplearning4j.nn.layers.normalization.BatchNormalization layer, INDArray eps,
                                      String where) {
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf =
                (org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer();
        DataType type = eps.dataType();
        INDArray var;
        if (conf.isUseLogStd()) {
            INDArray log10s = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            var = Transforms.pow(Nd4j.valueArrayOf(log10s.shape(), 10.0, log10s.dataType()), log10s);
            var.muli(var);
        } else {
            var = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
        }
        INDArray std = Transforms.sqrt(var.add(conf.getEps()));
        INDArray scale;
        if (conf.isLockGammaBeta()) {
            double g = conf.getGamma() != 1.0 && conf.getBeta() != 0.0 ? conf.getGamma() : 1.0;
            scale = std.rdiv(g);
        } else {
            scale = layer.getParam(BatchNormalizationParamInitializer.GAMMA).div(std);
        }
        scale = scale.reshape(scale.length()).castTo(type);
        if (eps.rank() == 2) {
            return eps.mulRowVector(scale);
        }
        if (eps.rank() == 4) {
            int channels = conf.getCnn2DFormat() == CNN2DFormat.NCHW ? 1 : 3;
            INDArray out = Nd4j.createUninitialized(type, eps.shape(), eps.ordering());
            return Nd4j.getExecutioner().exec(new BroadcastMulOp(eps, scale, out, channels));
        }
        throw new IllegalArgumentException("network: " + where + " (BatchNormalization) on rank-" + eps.rank()
                + " activations is not supported by the general path (rank 2 or 4 only)");
    }
}
