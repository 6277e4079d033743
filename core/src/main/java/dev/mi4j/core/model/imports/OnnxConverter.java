package dev.mi4j.core.model.imports;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Converts an ONNX graph into a DL4J {@link MultiLayerNetwork}, for the operators face
 * classifiers are made of, instead of SameDiff's ONNX import (which in 1.0.0-M2.1 imports MatMul
 * with alpha 0, computes Gemm wrongly and leaves graphs that cannot be differentiated; see
 * DL4J-NOTES). The protobuf classes are the ones nd4j-api already ships ({@code onnx.Onnx}).
 *
 * <p>What it converts: a <em>chain</em> of layers from one image input to one output (no
 * branches, no skip connections), made of
 * <ul>
 *   <li>Conv (2-D, group 1, symmetric pads or auto_pad VALID / SAME with odd kernels and stride 1)
 *       -&gt; ConvolutionLayer (ONNX and DL4J both store weights [out, in, kh, kw]);</li>
 *   <li>Gemm (transA 0, any transB, alpha, beta) and MatMul with a constant [in, out] matrix,
 *       optionally followed by Add of a constant bias -&gt; DenseLayer (W [in, out]: a PyTorch
 *       Linear's [out, in] weight arrives with transB = 1 and is transposed);</li>
 *   <li>Relu, LeakyRelu, Sigmoid, Tanh -&gt; the activation of the layer before (or an ActivationLayer);</li>
 *   <li>MaxPool, AveragePool (no padding, or padding that a preceding Pad made explicit) -&gt; SubsamplingLayer;</li>
 *   <li>BatchNormalization (inference: running statistics) -&gt; BatchNormalization (variance kept as is);</li>
 *   <li>Pad (constant zeros over h and w) -&gt; ZeroPaddingLayer, nothing when every pad is 0;
 *       pads computed from constants (as torch.onnx exports ZeroPad2d) are evaluated first
 *       ({@link ConstantFolding});</li>
 *   <li>Flatten (axis 1), and Reshape to [batch, -1] with its target either constant or computed
 *       from the activation's own Shape (Shape, Gather, Unsqueeze, Concat, Cast, as
 *       {@code x.view(x.size(0), -1)} exports) -&gt; DL4J's flattening preprocessor, which
 *       flattens NCHW in (c, h, w) order as PyTorch does;</li>
 *   <li>Dropout, Identity -&gt; nothing (identities at inference);</li>
 *   <li>Softmax at the end -&gt; a softmax OutputLayer (or ActivationLayer); LogSoftmax at the end
 *       -&gt; nothing: the network then outputs logits, whose softmax is the same probabilities.</li>
 * </ul>
 * Anything else is refused with one line naming the operator and the node. Float and double
 * initializers are read (into a float network); float16 weights and external data files are refused.
 */
final class OnnxConverter {

    /** Operators converted, for messages. */
    static final String SUPPORTED = "Conv, Gemm, MatMul(+Add), Relu, LeakyRelu, Sigmoid, Tanh, MaxPool, AveragePool,"
            + " BatchNormalization, Pad, Flatten, Reshape, Dropout, Identity, Softmax, LogSoftmax, and nodes that compute"
            + " constants or a Reshape target (Constant, Shape, Gather, Unsqueeze, Squeeze, Concat, Cast, ConstantOfShape,"
            + " Slice, Transpose)";

    /** The batch dimension in a computed shape vector. */
    private static final long BATCH = Long.MIN_VALUE;

    /**
     * The converted network and what the ONNX file said about itself.
     *
     * @param network    the network, input NCHW (or [n, d] for a flat input)
     * @param inputShape the image shape the network takes ([c, h, w]; for a flat input [d] the declared shape)
     * @param flatInput  whether the ONNX input is [batch, d] rather than [batch, c, h, w]
     * @param producer   producer name and version, e.g. "pytorch 1.13.0"
     * @param notes      one line per thing a reader should know
     */
    record Result(MultiLayerNetwork network, ImageShape inputShape, boolean flatInput, String producer,
                  List<String> notes) {
    }

    /** A constant tensor: values in double, dims, and its ONNX element type. */
    private record Tensor(double[] values, long[] dims, int type) {
        long size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /** An integer vector computed from shapes (BATCH marks the batch size); scalar when rank 0. */
    private record Ints(long[] v, boolean scalar) {
    }

    /** One DL4J layer being assembled, with its parameters by DL4J name. */
    private static final class Plan {
        Layer layer;
        final Map<String, INDArray> params = new LinkedHashMap<>();
        InputPreProcessor pre;
        final String node;
        /** Dense layers only: width in and out, whether it has a bias and an activation yet. */
        long nIn;
        long nOut;
        boolean dense;
        boolean conv;
        IActivation activation = new ActivationIdentity();
        boolean softmax;

        Plan(String node) {
            this.node = node;
        }
    }

    private final Path file;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Tensor> constants = new HashMap<>();
    private final Map<String, Ints> ints = new HashMap<>();
    /** Operators of the nodes evaluated on constants at import (for one note). */
    private final List<String> folded = new ArrayList<>();
    private final Map<String, String> alias = new HashMap<>();
    /** Every activation tensor seen (the input and layer outputs), to recognise branches. */
    private final Set<String> activations = new HashSet<>();
    /** Shape of each activation without the batch dimension: [c, h, w] or [d]. */
    private final Map<String, long[]> shapes = new HashMap<>();
    private final List<Plan> plans = new ArrayList<>();
    private String current;
    private long[] shape;
    private int opset;
    /** Set by a Flatten or flattening Reshape: the next layer gets a CNN-to-dense preprocessor for this [c, h, w]. */
    private long[] pendingFlatten;
    private boolean ended;
    /**
     * The activation the last plan produces (after the activations folded into it), so that an
     * activation, a bias Add or the softmax is folded into that layer only when it reads exactly
     * its output (identities such as Dropout in between do not change the name they resolve to).
     */
    private String lastLayerOutput;
    /** Set by addPlan: the next advance() produces the new plan's output. */
    private boolean planJustAdded;

    private OnnxConverter(Path file) {
        this.file = file;
    }

    /**
     * @param file     the file (for messages)
     * @param bytes    its content
     * @param declared the image shape the user declared, or null to take it from the file (a flat
     *                 input then needs a declared shape)
     * @throws Mi4jException one line naming the file and the problem: not parseable (truncated?),
     *                       an unsupported operator (its type and node name), a graph that is not
     *                       a chain, an input shape that does not fit the declared one
     */
    static Result convert(Path file, byte[] bytes, ImageShape declared) {
        return new OnnxConverter(file).run(bytes, declared);
    }

    private Result run(byte[] bytes, ImageShape declared) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw fail("cannot be parsed as an ONNX model (truncated or corrupt?): " + firstLine(e.getMessage()));
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw fail("holds no ONNX graph (truncated, or not an ONNX model?)");
        }
        opset = -1;
        for (Onnx.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < 0) {
            throw fail("declares no ai.onnx opset (truncated, or not an ONNX model?)");
        }
        if (opset < 7) {
            throw fail("uses opset " + opset + "; mi4j converts opset 7 and later");
        }
        String producer = model.getProducerName().isEmpty() ? "unknown"
                : (model.getProducerName() + " " + model.getProducerVersion()).trim();
        Onnx.GraphProto g = model.getGraph();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), tensor(t, "initializer \"" + t.getName() + "\""));
        }
        List<Onnx.ValueInfoProto> inputs = new ArrayList<>();
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw fail("has " + inputs.size() + " graph inputs; mi4j converts models with one image input");
        }
        ImageShape inShape = inputShape(inputs.get(0), declared);
        boolean flat = inputs.get(0).getType().getTensorType().getShape().getDimCount() == 2;
        current = inputs.get(0).getName();
        shape = flat ? new long[] {inShape.size()} : new long[] {inShape.channels(), inShape.height(), inShape.width()};
        activations.add(current);
        shapes.put(current, shape);
        for (Onnx.NodeProto node : g.getNodeList()) {
            convertNode(node);
        }
        if (g.getOutputCount() != 1) {
            throw fail("has " + g.getOutputCount() + " graph outputs; mi4j converts models with one output");
        }
        String out = resolve(g.getOutput(0).getName());
        if (!out.equals(current)) {
            throw fail("graph output \"" + g.getOutput(0).getName() + "\" is not the end of the chain of layers"
                    + " (mi4j converts chains of layers only)");
        }
        if (shape.length != 1) {
            throw fail("its output has shape " + Arrays.toString(shape) + " per image; a classifier outputs one vector");
        }
        if (pendingFlatten != null) {
            throw fail("ends in a Flatten/Reshape with no layer after it");
        }
        if (plans.isEmpty()) {
            throw fail("has no layer with weights");
        }
        Plan last = plans.get(plans.size() - 1);
        if (!last.softmax) {
            notes.add("the model outputs logits (no softmax at its end): the classifier view applies the softmax");
        }
        MultiLayerNetwork net = build(flat ? InputType.feedForward(inShape.size())
                : InputType.convolutional(inShape.height(), inShape.width(), inShape.channels(), CNN2DFormat.NCHW));
        if (!folded.isEmpty()) {
            notes.add(folded.size() + " nodes computing constants (" + String.join(", ", new java.util.TreeSet<>(folded))
                    + ") evaluated at import");
        }
        notes.add(0, "converted from ONNX opset " + opset + " (ir_version " + model.getIrVersion() + ") to a DL4J"
                + " MultiLayerNetwork of " + plans.size() + " layers");
        return new Result(net, inShape, flat, producer, notes);
    }

    // ------------------------------------------------------------------ input

    private ImageShape inputShape(Onnx.ValueInfoProto in, ImageShape declared) {
        Onnx.TypeProto.Tensor t = in.getType().getTensorType();
        if (t.getElemType() != Onnx.TensorProto.DataType.FLOAT_VALUE
                && t.getElemType() != Onnx.TensorProto.DataType.DOUBLE_VALUE) {
            throw fail("input \"" + in.getName() + "\" has element type " + typeName(t.getElemType())
                    + "; mi4j converts float inputs");
        }
        List<Onnx.TensorShapeProto.Dimension> dims = t.getShape().getDimList();
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
        }
        String shown = dimsText(dims);
        if (d.length == 4) {
            long c = d[1] > 0 ? d[1] : declared == null ? -1 : declared.channels();
            long h = d[2] > 0 ? d[2] : declared == null ? -1 : declared.height();
            long w = d[3] > 0 ? d[3] : declared == null ? -1 : declared.width();
            if (c < 0 || h < 0 || w < 0) {
                throw fail("input \"" + in.getName() + "\" has shape " + shown + " with unknown image dimensions:"
                        + " declare the input shape");
            }
            ImageShape s = new ImageShape((int) c, (int) h, (int) w);
            if (declared != null && !declared.equals(s)) {
                throw new Mi4jException("input shape " + declared + " does not fit model file " + file
                        + ", which takes " + s + " images (ONNX input \"" + in.getName() + "\" " + shown + ")");
            }
            if (dims.get(0).hasDimValue()) {
                notes.add("the ONNX input has a fixed batch size of " + d[0] + "; the converted network takes any");
            }
            return s;
        }
        if (d.length == 2) {
            if (declared == null) {
                throw fail("input \"" + in.getName() + "\" is a flat vector " + shown + ": declare the image shape"
                        + " (its pixels are taken in (c, h, w) order)");
            }
            if (d[1] > 0 && d[1] != declared.size()) {
                throw new Mi4jException("input shape " + declared + " (" + declared.size() + " values) does not fit"
                        + " model file " + file + ", which takes vectors of " + d[1] + " values (ONNX input \""
                        + in.getName() + "\" " + shown + ")");
            }
            notes.add("the ONNX input is a flat vector: images are flattened in (c, h, w) order");
            return declared;
        }
        throw fail("input \"" + in.getName() + "\" has shape " + shown + "; mi4j converts [batch, c, h, w] or"
                + " [batch, d] inputs");
    }

    // ------------------------------------------------------------------ nodes

    private void convertNode(Onnx.NodeProto node) {
        String op = node.getOpType();
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            throw unsupported(node, "operator " + node.getDomain() + "." + op);
        }
        if (op.equals("Constant")) {
            constant(node);
            return;
        }
        // Shape arithmetic on constants and shapes (no activation involved).
        if (!readsActivation(node) || op.equals("Shape")) {
            shapeArithmetic(node);
            return;
        }
        if (ended) {
            throw fail("node \"" + node.getName() + "\" (" + op + ") follows the final " + "softmax; mi4j converts"
                    + " models whose softmax (if any) comes last");
        }
        if (op.equals("Add") && node.getInputCount() == 2 && resolve(node.getInput(1)).equals(current)) {
            node = node.toBuilder().setInput(0, node.getInput(1)).setInput(1, node.getInput(0)).build();
        }
        String x = resolve(node.getInput(0));
        if (!x.equals(current)) {
            throw fail("node \"" + node.getName() + "\" (" + op + ") reads \"" + node.getInput(0)
                    + "\", which is not the previous layer's output: mi4j converts chains of layers only"
                    + " (no branches or skip connections)");
        }
        for (int i = 1; i < node.getInputCount(); i++) {
            if (activations.contains(resolve(node.getInput(i)))) {
                throw fail("node \"" + node.getName() + "\" (" + op + ") combines two activations (a skip connection?):"
                        + " mi4j converts chains of layers only");
            }
        }
        switch (op) {
            case "Identity" -> passThrough(node);
            case "Dropout" -> dropout(node);
            case "Conv" -> conv(node);
            case "Gemm" -> gemm(node);
            case "MatMul" -> matMul(node);
            case "Add" -> add(node);
            case "Relu" -> activation(node, Activation.RELU.getActivationFunction());
            case "Sigmoid" -> activation(node, Activation.SIGMOID.getActivationFunction());
            case "Tanh" -> activation(node, Activation.TANH.getActivationFunction());
            case "LeakyRelu" -> activation(node, new ActivationLReLU(attrFloat(node, "alpha", 0.01)));
            case "MaxPool" -> pool(node, PoolingType.MAX);
            case "AveragePool" -> pool(node, PoolingType.AVG);
            case "BatchNormalization" -> batchNorm(node);
            case "Pad" -> pad(node);
            case "Flatten" -> flatten(node);
            case "Reshape" -> reshape(node);
            case "Softmax" -> softmax(node, false);
            case "LogSoftmax" -> softmax(node, true);
            default -> throw unsupported(node, "operator " + op);
        }
    }

    private boolean readsActivation(Onnx.NodeProto node) {
        for (String in : node.getInputList()) {
            if (!in.isEmpty() && activations.contains(resolve(in))) {
                return true;
            }
        }
        return false;
    }

    private String resolve(String name) {
        String n = name;
        while (alias.containsKey(n)) {
            n = alias.get(n);
        }
        return n;
    }

    /** The node's output is the next activation, of the given per-image shape. */
    private void advance(Onnx.NodeProto node, long[] newShape) {
        current = node.getOutput(0);
        shape = newShape;
        activations.add(current);
        shapes.put(current, newShape);
        if (planJustAdded) {
            lastLayerOutput = current;
            planJustAdded = false;
        }
    }

    private void passThrough(Onnx.NodeProto node) {
        alias.put(node.getOutput(0), current);
    }

    private void dropout(Onnx.NodeProto node) {
        if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
            Tensor mode = constants.get(node.getInput(2));
            if (mode == null || mode.values().length != 1 || mode.values()[0] != 0) {
                throw fail("Dropout node \"" + node.getName() + "\" has a training_mode input that is not the constant"
                        + " false");
            }
        }
        if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
            notes.add("Dropout node \"" + node.getName() + "\": its mask output is ignored");
        }
        notes.add("Dropout node \"" + node.getName() + "\": an identity at inference, not converted");
        alias.put(node.getOutput(0), current);
    }

    private void conv(Onnx.NodeProto node) {
        requireImage(node);
        Tensor w = constInput(node, 1, "weight");
        Tensor b = node.getInputCount() > 2 && !node.getInput(2).isEmpty() ? constInput(node, 2, "bias") : null;
        if (w.dims().length != 4) {
            throw unsupported(node, "a Conv with a " + w.dims().length + "-D weight (2-D convolutions only)");
        }
        long group = attrInt(node, "group", 1);
        if (group != 1) {
            throw unsupported(node, "a grouped convolution (group " + group + ")");
        }
        long cout = w.dims()[0];
        long cin = w.dims()[1];
        int kh = (int) w.dims()[2];
        int kw = (int) w.dims()[3];
        if (cin != shape[0]) {
            throw mismatch(node, "takes " + cin + " input channels", shape[0] + " channels");
        }
        int[] stride = pair(node, "strides", 1);
        int[] dil = pair(node, "dilations", 1);
        int[] pad = symmetricPads(node, kh, kw, stride, dil);
        Plan p = new Plan(node.getName());
        p.layer = new ConvolutionLayer.Builder(kh, kw).stride(stride).padding(pad).dilation(dil).nIn(cin).nOut(cout)
                .hasBias(b != null).convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NCHW)
                .activation(new ActivationIdentity()).name(node.getName()).build();
        p.params.put("W", array(w.values(), w.dims()));
        if (b != null) {
            checkLength(node, b, cout, "bias");
            p.params.put("b", array(b.values(), new long[] {1, cout}));
        }
        p.conv = true;
        addPlan(p);
        long h = outSize(shape[1], kh, stride[0], pad[0], pad[0], dil[0], false);
        long wd = outSize(shape[2], kw, stride[1], pad[1], pad[1], dil[1], false);
        checkPositive(node, h, wd);
        advance(node, new long[] {cout, h, wd});
    }

    private void gemm(Onnx.NodeProto node) {
        requireFlat(node);
        if (attrInt(node, "transA", 0) != 0) {
            throw unsupported(node, "a Gemm with transA = 1");
        }
        Tensor bT = constInput(node, 1, "B");
        if (bT.dims().length != 2) {
            throw unsupported(node, "a Gemm with a " + bT.dims().length + "-D B");
        }
        boolean transB = attrInt(node, "transB", 0) != 0;
        double alpha = attrFloat(node, "alpha", 1.0);
        double beta = attrFloat(node, "beta", 1.0);
        long in = transB ? bT.dims()[1] : bT.dims()[0];
        long out = transB ? bT.dims()[0] : bT.dims()[1];
        if (in != shape[0]) {
            throw mismatch(node, "takes vectors of " + in, "vectors of " + shape[0]);
        }
        INDArray w = array(bT.values(), bT.dims());
        w = (transB ? w.transpose() : w).mul(alpha);
        INDArray bias = null;
        if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
            Tensor c = constInput(node, 2, "C");
            bias = biasVector(node, c, out).muli(beta);
        }
        dense(node, in, out, w, bias);
        advance(node, new long[] {out});
    }

    private void matMul(Onnx.NodeProto node) {
        requireFlat(node);
        Tensor bT = constInput(node, 1, "B");
        if (bT.dims().length != 2) {
            throw unsupported(node, "a MatMul with a " + bT.dims().length + "-D constant (a [in, out] matrix only)");
        }
        if (bT.dims()[0] != shape[0]) {
            throw mismatch(node, "takes vectors of " + bT.dims()[0], "vectors of " + shape[0]);
        }
        dense(node, bT.dims()[0], bT.dims()[1], array(bT.values(), bT.dims()), null);
        advance(node, new long[] {bT.dims()[1]});
    }

    /** Add of a constant bias right after a MatMul (how x @ W + b exports): the dense layer's bias. */
    private void add(Onnx.NodeProto node) {
        Plan last = plans.isEmpty() ? null : plans.get(plans.size() - 1);
        if (last == null || !last.dense || last.params.containsKey("b") || !(last.activation instanceof ActivationIdentity)
                || !current.equals(lastLayerOutput)) {
            throw unsupported(node, "an Add that is not the bias of a MatMul");
        }
        Tensor c = constInput(node, 1, "bias");
        last.params.put("b", biasVector(node, c, last.nOut));
        ((DenseLayer) last.layer).setHasBias(true);
        advance(node, shape);
        lastLayerOutput = current;
    }

    private void dense(Onnx.NodeProto node, long in, long out, INDArray w, INDArray bias) {
        Plan p = new Plan(node.getName());
        p.layer = new DenseLayer.Builder().nIn(in).nOut(out).hasBias(bias != null).activation(new ActivationIdentity())
                .name(node.getName()).build();
        p.params.put("W", w);
        if (bias != null) {
            p.params.put("b", bias);
        }
        p.dense = true;
        p.nIn = in;
        p.nOut = out;
        addPlan(p);
    }

    private void activation(Onnx.NodeProto node, IActivation act) {
        Plan last = plans.isEmpty() ? null : plans.get(plans.size() - 1);
        if (last != null && (last.dense || last.conv) && last.activation instanceof ActivationIdentity
                && current.equals(lastLayerOutput)) {
            last.activation = act;
            if (last.layer instanceof DenseLayer d) {
                d.setActivationFn(act);
            } else {
                ((ConvolutionLayer) last.layer).setActivationFn(act);
            }
        } else {
            Plan p = new Plan(node.getName());
            p.layer = new ActivationLayer.Builder().activation(act).name(node.getName()).build();
            addPlan(p);
        }
        advance(node, shape);
        lastLayerOutput = current;
    }

    private void pool(Onnx.NodeProto node, PoolingType type) {
        requireImage(node);
        long[] k = attrInts(node, "kernel_shape");
        if (k == null || k.length != 2) {
            throw unsupported(node, "a " + node.getOpType() + " that is not 2-D");
        }
        if (attrInt(node, "storage_order", 0) != 0) {
            throw unsupported(node, "a MaxPool with storage_order 1");
        }
        int[] kernel = {(int) k[0], (int) k[1]};
        int[] stride = pair(node, "strides", 1);
        int[] dil = pair(node, "dilations", 1);
        int[] pad = symmetricPads(node, kernel[0], kernel[1], stride, dil);
        if (type == PoolingType.AVG && (pad[0] != 0 || pad[1] != 0)) {
            throw unsupported(node, "an AveragePool with implicit padding (pads " + Arrays.toString(pad) + ")");
        }
        boolean ceil = attrInt(node, "ceil_mode", 0) != 0;
        long h = outSize(shape[1], kernel[0], stride[0], pad[0], pad[0], dil[0], false);
        long w = outSize(shape[2], kernel[1], stride[1], pad[1], pad[1], dil[1], false);
        if (ceil && (h != outSize(shape[1], kernel[0], stride[0], pad[0], pad[0], dil[0], true)
                || w != outSize(shape[2], kernel[1], stride[1], pad[1], pad[1], dil[1], true))) {
            throw unsupported(node, "a " + node.getOpType() + " with ceil_mode 1 where it changes the output size");
        }
        checkPositive(node, h, w);
        Plan p = new Plan(node.getName());
        p.layer = new SubsamplingLayer.Builder(type).kernelSize(kernel).stride(stride).padding(pad).dilation(dil)
                .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NCHW).name(node.getName()).build();
        addPlan(p);
        advance(node, new long[] {shape[0], h, w});
    }

    private void batchNorm(Onnx.NodeProto node) {
        if (attrInt(node, "training_mode", 0) != 0) {
            throw unsupported(node, "a BatchNormalization in training mode");
        }
        if (attrInt(node, "spatial", 1) != 1) {
            throw unsupported(node, "a BatchNormalization with spatial = 0");
        }
        for (int i = 1; i < node.getOutputCount(); i++) {
            if (!node.getOutput(i).isEmpty()) {
                throw unsupported(node, "a BatchNormalization with training outputs");
            }
        }
        long c = shape[0];
        Tensor gamma = constInput(node, 1, "scale");
        Tensor beta = constInput(node, 2, "B");
        Tensor mean = constInput(node, 3, "mean");
        Tensor var = constInput(node, 4, "var");
        for (Tensor t : List.of(gamma, beta, mean, var)) {
            checkLength(node, t, c, "parameter");
        }
        double eps = attrFloat(node, "epsilon", 1e-5);
        Plan p = new Plan(node.getName());
        BatchNormalization.Builder b = new BatchNormalization.Builder().nIn(c).nOut(c).eps(eps).useLogStd(false)
                .lockGammaBeta(false);
        if (shape.length == 3) {
            b.dataFormat(CNN2DFormat.NCHW);
        }
        p.layer = b.activation(new ActivationIdentity()).name(node.getName()).build();
        long[] dims = {1, c};
        p.params.put("gamma", array(gamma.values(), dims));
        p.params.put("beta", array(beta.values(), dims));
        p.params.put("mean", array(mean.values(), dims));
        p.params.put("var", array(var.values(), dims));
        addPlan(p);
        notes.add("BatchNormalization node \"" + node.getName() + "\": inference mode (running mean and variance)");
        advance(node, shape);
    }

    private void pad(Onnx.NodeProto node) {
        requireImage(node);
        String mode = attrString(node, "mode", "constant");
        long[] pads;
        if (opset >= 11) {
            pads = intsOf(node, 1, "pads");
            if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
                Tensor v = constInput(node, 2, "constant_value");
                if (v.values().length != 1 || v.values()[0] != 0) {
                    throw unsupported(node, "a Pad with a constant value other than 0");
                }
            }
            if (node.getInputCount() > 3 && !node.getInput(3).isEmpty()) {
                throw unsupported(node, "a Pad with axes");
            }
        } else {
            pads = attrInts(node, "pads");
            if (attrFloat(node, "value", 0) != 0) {
                throw unsupported(node, "a Pad with a constant value other than 0");
            }
        }
        if (pads == null || pads.length != 8) {
            throw unsupported(node, "a Pad that is not over a 4-D tensor");
        }
        boolean zero = true;
        for (long v : pads) {
            zero &= v == 0;
        }
        if (zero) {
            notes.add("Pad node \"" + node.getName() + "\": all pads are 0, not converted");
            alias.put(node.getOutput(0), current);
            return;
        }
        if (!mode.equals("constant")) {
            throw unsupported(node, "a Pad in mode " + mode);
        }
        if (pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
            throw unsupported(node, "a Pad of the batch or channel dimension");
        }
        for (long v : pads) {
            if (v < 0) {
                throw unsupported(node, "a Pad with negative pads (cropping)");
            }
        }
        Plan p = new Plan(node.getName());
        p.layer = new ZeroPaddingLayer.Builder((int) pads[2], (int) pads[6], (int) pads[3], (int) pads[7])
                .dataFormat(CNN2DFormat.NCHW).name(node.getName()).build();
        addPlan(p);
        advance(node, new long[] {shape[0], shape[1] + pads[2] + pads[6], shape[2] + pads[3] + pads[7]});
    }

    private void flatten(Onnx.NodeProto node) {
        long axis = attrInt(node, "axis", 1);
        if (axis != 1) {
            throw unsupported(node, "a Flatten with axis " + axis + " (axis 1 only)");
        }
        flattenTo(node);
    }

    private void flattenTo(Onnx.NodeProto node) {
        if (shape.length == 3) {
            pendingFlatten = shape;
            advance(node, new long[] {shape[0] * shape[1] * shape[2]});
        } else {
            alias.put(node.getOutput(0), current);
        }
    }

    private void reshape(Onnx.NodeProto node) {
        Ints target = intsInput(node, 1);
        if (target == null) {
            throw unsupported(node, "a Reshape whose target shape is neither constant nor computed from shapes");
        }
        long per = 1;
        for (long d : shape) {
            per *= d;
        }
        long[] t = target.v();
        boolean allowZero = attrInt(node, "allowzero", 0) != 0;
        if (t.length == 2) {
            long first = t[0];
            long second = t[1];
            boolean batchFirst = first == BATCH || (first == 0 && !allowZero) || first == 1 || first == -1;
            boolean flatSecond = second == per || (second == -1 && first != -1);
            if (batchFirst && flatSecond) {
                if (first == 1) {
                    notes.add("Reshape node \"" + node.getName() + "\" fixes the batch size at 1; the converted network"
                            + " flattens each image of any batch");
                }
                flattenTo(node);
                return;
            }
        }
        if (t.length == shape.length + 1 && (t[0] == BATCH || (t[0] == 0 && !allowZero) || t[0] == -1)) {
            boolean same = true;
            for (int i = 0; i < shape.length; i++) {
                same &= t[i + 1] == shape[i] || (t[i + 1] == 0 && !allowZero);
            }
            if (same) {
                alias.put(node.getOutput(0), current);
                return;
            }
        }
        throw unsupported(node, "a Reshape of " + Arrays.toString(shape) + " per image to " + show(t)
                + " (only flattening to [batch, -1] is converted)");
    }

    private void softmax(Onnx.NodeProto node, boolean log) {
        requireFlat(node);
        long axis = attrInt(node, "axis", opset >= 13 ? -1 : 1);
        if (axis != 1 && axis != -1) {
            throw unsupported(node, "a " + node.getOpType() + " over axis " + axis);
        }
        ended = true;
        if (log) {
            notes.add("LogSoftmax node \"" + node.getName() + "\" at the end is not converted: the network outputs the"
                    + " logits, whose softmax is the same probabilities");
            alias.put(node.getOutput(0), current);
            return;
        }
        Plan last = plans.isEmpty() ? null : plans.get(plans.size() - 1);
        if (last != null && last.dense && last.activation instanceof ActivationIdentity && current.equals(lastLayerOutput)) {
            last.softmax = true;
            last.layer = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(last.nIn).nOut(last.nOut)
                    .hasBias(last.params.containsKey("b")).activation(Activation.SOFTMAX).name(last.node).build();
        } else {
            Plan p = new Plan(node.getName());
            p.layer = new ActivationLayer.Builder().activation(Activation.SOFTMAX).name(node.getName()).build();
            p.softmax = true;
            addPlan(p);
        }
        advance(node, shape);
        lastLayerOutput = current;
    }

    private void addPlan(Plan p) {
        if (pendingFlatten != null) {
            long[] s = pendingFlatten;
            p.pre = new CnnToFeedForwardPreProcessor(s[1], s[2], s[0], CNN2DFormat.NCHW);
            pendingFlatten = null;
        }
        plans.add(p);
        planJustAdded = true;
    }

    // ------------------------------------------------------------------ constants and shape arithmetic

    private void constant(Onnx.NodeProto node) {
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> constants.put(node.getOutput(0), tensor(a.getT(), "Constant node \"" + node.getName() + "\""));
                case "value_float" -> constants.put(node.getOutput(0), new Tensor(new double[] {a.getF()}, new long[0], 1));
                case "value_int" -> constants.put(node.getOutput(0), new Tensor(new double[] {a.getI()}, new long[0], 7));
                case "value_ints" -> {
                    double[] v = a.getIntsList().stream().mapToDouble(Long::doubleValue).toArray();
                    constants.put(node.getOutput(0), new Tensor(v, new long[] {v.length}, 7));
                }
                case "value_floats" -> {
                    double[] v = new double[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getFloats(i);
                    }
                    constants.put(node.getOutput(0), new Tensor(v, new long[] {v.length}, 1));
                }
                default -> throw unsupported(node, "a Constant given as " + a.getName());
            }
        }
    }

    private void shapeArithmetic(Onnx.NodeProto node) {
        String op = node.getOpType();
        if (!op.equals("Shape") && allInputsConstant(node)) {
            ConstantFolding.Value value = ConstantFolding.fold(node, inputTensors(node), opset, this::tensorOf);
            if (value != null) {
                constants.put(node.getOutput(0), new Tensor(value.values(), value.dims(), value.type()));
                folded.add(op);
                return;
            }
        }
        switch (op) {
            case "Shape" -> {
                String x = resolve(node.getInput(0));
                long[] s = shapes.get(x);
                if (s == null) {
                    throw unsupported(node, "a Shape of something other than an activation");
                }
                if (attrInt(node, "start", 0) != 0 || node.getAttributeList().stream().anyMatch(a -> a.getName().equals("end"))) {
                    throw unsupported(node, "a Shape with start/end");
                }
                long[] v = new long[s.length + 1];
                v[0] = BATCH;
                System.arraycopy(s, 0, v, 1, s.length);
                ints.put(node.getOutput(0), new Ints(v, false));
            }
            case "Gather" -> {
                Ints data = intsInput(node, 0);
                Ints idx = intsInput(node, 1);
                if (data == null || idx == null || attrInt(node, "axis", 0) != 0 || data.scalar()) {
                    throw unsupported(node, "a Gather outside shape arithmetic");
                }
                long[] out = new long[idx.v().length];
                for (int i = 0; i < out.length; i++) {
                    long k = idx.v()[i] < 0 ? idx.v()[i] + data.v().length : idx.v()[i];
                    if (k < 0 || k >= data.v().length) {
                        throw fail("Gather node \"" + node.getName() + "\" indexes " + idx.v()[i] + " out of "
                                + data.v().length);
                    }
                    out[i] = data.v()[(int) k];
                }
                ints.put(node.getOutput(0), new Ints(out, idx.scalar()));
            }
            case "Unsqueeze" -> {
                Ints data = intsInput(node, 0);
                long[] axes = opset >= 13 ? (node.getInputCount() > 1 ? intsOf(node, 1, "axes") : null)
                        : attrInts(node, "axes");
                if (data == null || !data.scalar() || axes == null || axes.length != 1 || axes[0] != 0) {
                    throw unsupported(node, "an Unsqueeze outside shape arithmetic");
                }
                ints.put(node.getOutput(0), new Ints(data.v(), false));
            }
            case "Concat" -> {
                if (attrInt(node, "axis", 0) != 0) {
                    throw unsupported(node, "a Concat outside shape arithmetic");
                }
                List<Long> out = new ArrayList<>();
                for (int i = 0; i < node.getInputCount(); i++) {
                    Ints part = intsInput(node, i);
                    if (part == null || part.scalar()) {
                        throw unsupported(node, "a Concat outside shape arithmetic");
                    }
                    for (long v : part.v()) {
                        out.add(v);
                    }
                }
                ints.put(node.getOutput(0), new Ints(out.stream().mapToLong(Long::longValue).toArray(), false));
            }
            case "Cast", "Identity" -> {
                Ints data = intsInput(node, 0);
                if (data != null) {
                    ints.put(node.getOutput(0), data);
                } else if (constants.containsKey(node.getInput(0))) {
                    constants.put(node.getOutput(0), constants.get(node.getInput(0)));
                } else {
                    throw unsupported(node, "a " + op + " outside shape arithmetic");
                }
            }
            default -> throw unsupported(node, "operator " + op);
        }
    }

    private boolean allInputsConstant(Onnx.NodeProto node) {
        for (String in : node.getInputList()) {
            if (!in.isEmpty() && !constants.containsKey(in)) {
                return false;
            }
        }
        return true;
    }

    private List<ConstantFolding.Value> inputTensors(Onnx.NodeProto node) {
        List<ConstantFolding.Value> in = new ArrayList<>();
        for (String name : node.getInputList()) {
            Tensor t = name.isEmpty() ? null : constants.get(name);
            in.add(t == null ? null : new ConstantFolding.Value(t.values(), t.dims(), t.type()));
        }
        return in;
    }

    /** An integer vector input: computed from shapes, or a constant of integers. */
    private Ints intsInput(Onnx.NodeProto node, int i) {
        if (node.getInputCount() <= i) {
            return null;
        }
        String name = node.getInput(i);
        if (ints.containsKey(name)) {
            return ints.get(name);
        }
        Tensor t = constants.get(name);
        if (t == null || t.dims().length > 1) {
            return null;
        }
        long[] v = new long[t.values().length];
        for (int k = 0; k < v.length; k++) {
            v[k] = (long) t.values()[k];
        }
        return new Ints(v, t.dims().length == 0);
    }

    private long[] intsOf(Onnx.NodeProto node, int i, String what) {
        Ints v = intsInput(node, i);
        if (v == null) {
            throw unsupported(node, "a " + node.getOpType() + " whose " + what + " are not constant");
        }
        return v.v();
    }

    // ------------------------------------------------------------------ building

    private MultiLayerNetwork build(InputType inputType) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .weightInit(WeightInit.ZERO).updater(new NoOp()).list();
        for (int i = 0; i < plans.size(); i++) {
            b.layer(i, plans.get(i).layer);
            if (plans.get(i).pre != null) {
                b.inputPreProcessor(i, plans.get(i).pre);
            }
        }
        b.setInputType(inputType);
        MultiLayerConfiguration conf;
        MultiLayerNetwork net;
        try {
            conf = b.build();
            net = new MultiLayerNetwork(conf);
            net.init();
        } catch (RuntimeException e) {
            throw fail("the converted network is not valid in DL4J: " + firstLine(e.getMessage()));
        }
        for (int i = 0; i < plans.size(); i++) {
            for (Map.Entry<String, INDArray> p : plans.get(i).params.entrySet()) {
                INDArray param = net.getLayer(i).getParam(p.getKey());
                INDArray value = p.getValue().castTo(param.dataType());
                if (param.length() != value.length()) {
                    throw new IllegalStateException("layer " + i + " parameter " + p.getKey() + ": " + param.length()
                            + " values expected, " + value.length() + " converted");
                }
                param.assign(value.reshape(param.shape()));
            }
        }
        return net;
    }

    // ------------------------------------------------------------------ helpers

    private void requireImage(Onnx.NodeProto node) {
        if (shape.length != 3) {
            throw unsupported(node, "a " + node.getOpType() + " on a flat (non-image) activation");
        }
    }

    private void requireFlat(Onnx.NodeProto node) {
        if (shape.length != 1) {
            throw unsupported(node, "a " + node.getOpType() + " on a " + (shape.length + 1)
                    + "-D activation (flatten it first)");
        }
    }

    private Tensor constInput(Onnx.NodeProto node, int i, String what) {
        if (node.getInputCount() <= i || node.getInput(i).isEmpty()) {
            throw fail(node.getOpType() + " node \"" + node.getName() + "\" lacks its " + what + " input");
        }
        Tensor t = constants.get(node.getInput(i));
        if (t == null) {
            throw unsupported(node, "a " + node.getOpType() + " whose " + what + " (\"" + node.getInput(i)
                    + "\") is not a constant");
        }
        if (t.type() != 1 && t.type() != 11) {
            throw fail(node.getOpType() + " node \"" + node.getName() + "\": its " + what + " has element type "
                    + typeName(t.type()) + ", expected a float type");
        }
        return t;
    }

    private INDArray biasVector(Onnx.NodeProto node, Tensor c, long out) {
        if (c.size() == out) {
            return array(c.values(), new long[] {1, out});
        }
        if (c.size() == 1) {
            return Nd4j.valueArrayOf(new long[] {1, out}, c.values()[0], DataType.DOUBLE);
        }
        throw fail(node.getOpType() + " node \"" + node.getName() + "\" has a bias of " + c.size() + " values for "
                + out + " outputs");
    }

    private void checkLength(Onnx.NodeProto node, Tensor t, long n, String what) {
        if (t.size() != n) {
            throw fail(node.getOpType() + " node \"" + node.getName() + "\": its " + what + " has " + t.size()
                    + " values, expected " + n);
        }
    }

    private static INDArray array(double[] values, long[] dims) {
        return Nd4j.create(values, dims, 'c');
    }

    /** {top/bottom, left/right} pads of a 2-D Conv or pool, from pads or auto_pad; refuses asymmetric ones. */
    private int[] symmetricPads(Onnx.NodeProto node, int kh, int kw, int[] stride, int[] dil) {
        String auto = attrString(node, "auto_pad", "NOTSET");
        if (auto.equals("VALID")) {
            return new int[] {0, 0};
        }
        if (auto.equals("SAME_UPPER") || auto.equals("SAME_LOWER")) {
            int eh = dil[0] * (kh - 1);
            int ew = dil[1] * (kw - 1);
            if (stride[0] != 1 || stride[1] != 1 || eh % 2 != 0 || ew % 2 != 0) {
                throw unsupported(node, "auto_pad " + auto + " with stride " + Arrays.toString(stride)
                        + " or an even kernel (asymmetric padding)");
            }
            return new int[] {eh / 2, ew / 2};
        }
        if (!auto.equals("NOTSET") && !auto.isEmpty()) {
            throw unsupported(node, "auto_pad " + auto);
        }
        long[] p = attrInts(node, "pads");
        if (p == null) {
            return new int[] {0, 0};
        }
        if (p.length != 4 || p[0] != p[2] || p[1] != p[3]) {
            throw unsupported(node, "asymmetric pads " + Arrays.toString(p));
        }
        return new int[] {(int) p[0], (int) p[1]};
    }

    private static long outSize(long in, int k, int s, int padBegin, int padEnd, int d, boolean ceil) {
        long span = in + padBegin + padEnd - (long) d * (k - 1) - 1;
        return (ceil ? Math.floorDiv(span + s - 1, s) : Math.floorDiv(span, s)) + 1;
    }

    private void checkPositive(Onnx.NodeProto node, long h, long w) {
        if (h <= 0 || w <= 0) {
            throw new Mi4jException("model file " + file + ": node \"" + node.getName() + "\" (" + node.getOpType()
                    + ") gets a " + shape[1] + "x" + shape[2] + " input, too small for its kernel (input shape too small?)");
        }
    }

    private int[] pair(Onnx.NodeProto node, String name, int dflt) {
        long[] v = attrInts(node, name);
        if (v == null) {
            return new int[] {dflt, dflt};
        }
        if (v.length != 2) {
            throw unsupported(node, "a " + node.getOpType() + " with " + name + " " + Arrays.toString(v) + " (2-D only)");
        }
        return new int[] {(int) v[0], (int) v[1]};
    }

    private static Onnx.AttributeProto attr(Onnx.NodeProto node, String name) {
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static long attrInt(Onnx.NodeProto node, String name, long dflt) {
        Onnx.AttributeProto a = attr(node, name);
        return a == null ? dflt : a.getI();
    }

    private static double attrFloat(Onnx.NodeProto node, String name, double dflt) {
        Onnx.AttributeProto a = attr(node, name);
        return a == null ? dflt : a.getF();
    }

    private static String attrString(Onnx.NodeProto node, String name, String dflt) {
        Onnx.AttributeProto a = attr(node, name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    private static long[] attrInts(Onnx.NodeProto node, String name) {
        Onnx.AttributeProto a = attr(node, name);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    private ConstantFolding.Value tensorOf(Onnx.TensorProto t) {
        Tensor v = tensor(t, "a constant attribute");
        return new ConstantFolding.Value(v.values(), v.dims(), v.type());
    }

    /** The values of a TensorProto in double: float, double, int32 and int64 (other types are refused). */
    private Tensor tensor(Onnx.TensorProto t, String what) {
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw fail(what + " keeps its data in an external file; mi4j reads self-contained ONNX files only");
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw fail(what + " has a negative dimension");
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE / 8) {
            throw fail(what + " declares " + n + " values, more than mi4j reads");
        }
        int type = t.getDataType();
        double[] v = new double[(int) n];
        boolean raw = !t.getRawData().isEmpty();
        ByteBuffer buf = raw ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        int width = switch (type) {
            case 1, 6 -> 4;
            case 11, 7 -> 8;
            default -> throw fail(what + " has element type " + typeName(type) + ", which mi4j does not read");
        };
        int count = raw ? buf.remaining() / width : switch (type) {
            case 1 -> t.getFloatDataCount();
            case 11 -> t.getDoubleDataCount();
            case 7 -> t.getInt64DataCount();
            default -> t.getInt32DataCount();
        };
        if (count != n || (raw && buf.remaining() != n * width)) {
            throw fail(what + " declares " + n + " values but holds " + count + " (truncated or corrupt?)");
        }
        for (int i = 0; i < n; i++) {
            v[i] = switch (type) {
                case 1 -> raw ? buf.getFloat() : t.getFloatData(i);
                case 11 -> raw ? buf.getDouble() : t.getDoubleData(i);
                case 7 -> raw ? buf.getLong() : t.getInt64Data(i);
                default -> raw ? buf.getInt() : t.getInt32Data(i);
            };
        }
        return new Tensor(v, dims, type);
    }

    private static String typeName(int type) {
        Onnx.TensorProto.DataType t = Onnx.TensorProto.DataType.forNumber(type);
        return t == null ? "#" + type : t.name().toLowerCase(Locale.ROOT);
    }

    private static String dimsText(List<Onnx.TensorShapeProto.Dimension> dims) {
        List<String> s = new ArrayList<>();
        for (Onnx.TensorShapeProto.Dimension d : dims) {
            s.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() ? d.getDimParam() : "?");
        }
        return s.toString();
    }

    private static String show(long[] v) {
        List<String> s = new ArrayList<>();
        for (long x : v) {
            s.add(x == BATCH ? "batch" : Long.toString(x));
        }
        return s.toString();
    }

    private Mi4jException fail(String what) {
        return new Mi4jException("model file " + file + " " + what);
    }

    private Mi4jException unsupported(Onnx.NodeProto node, String what) {
        return new Mi4jException("model file " + file + ": node \"" + node.getName() + "\" (" + node.getOpType()
                + ") is not supported: " + what + " (mi4j converts " + SUPPORTED + ")");
    }

    private Mi4jException mismatch(Onnx.NodeProto node, String expects, String gets) {
        return new Mi4jException("model file " + file + ": node \"" + node.getName() + "\" (" + node.getOpType() + ") "
                + expects + " but gets " + gets + " (input shape does not fit the model?)");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
