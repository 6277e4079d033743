package dev.mi4j.core.model;

import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.backprop.BackpropOptions;
import dev.mi4j.core.model.backprop.FastEngine;
import dev.mi4j.core.model.backprop.GeneralEngine;
import dev.mi4j.core.model.backprop.GradientEngine;
import dev.mi4j.core.model.backprop.Tensors;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link DifferentiableClassifier} over a DL4J {@link MultiLayerNetwork} or
 * {@link ComputationGraph} that ends in a softmax: prediction with query counting, penultimate
 * features, and input gradients of every {@link Objective}.
 *
 * <p>Two engines compute the network's logits and back-propagate d cost / d logits (from
 * {@link Objectives}) to the images, chosen by a {@link GradientPath}:
 * {@link FastEngine} (mi4j's own backprop for the layers of the target zoo, input epsilons only,
 * reused work arrays: the engine of every timing in BENCHMARKS.md) and {@link GeneralEngine}
 * (DL4J's own layer and vertex backprop in inference mode, for any network). AUTO, the default,
 * takes the fast engine when it knows every layer. {@link #gradientPath()} says which one runs.
 * Probabilities are softmax(logits) computed in double by {@link Objectives}, whichever engine
 * gave the logits. A network that ends in logits instead of a softmax (as many imported models
 * do) is wrapped with {@link #ofLogits}: the same contract, the softmax applied here.
 *
 * <p>The fast engine's convolution paths come from the system properties mi4j.conv.layout,
 * mi4j.conv.forward and mi4j.conv.backward ({@link BackpropOptions#fromSystemProperties()}),
 * read once when a classifier is built by the constructors that take no options.
 *
 * <p>Thread-safe: the input-gradient pass is synchronized on this instance (the engines' work
 * arrays are shared). The network is never modified: both engines only read its parameters.
 */
public final class NetworkClassifier implements DifferentiableClassifier {

    private final Model model;
    private final ImageShape shape;
    private final GradientPath path;
    private final GradientEngine engine;
    private final int numClasses;
    private final DataType dataType;
    private final AtomicLong queries = new AtomicLong();

    /**
     * With {@link GradientPath#AUTO}.
     *
     * @param network a trained network that ends in a softmax
     * @param shape   shape of one input image, [c, h, w]
     */
    public NetworkClassifier(MultiLayerNetwork network, ImageShape shape) {
        this(network, shape, GradientPath.AUTO);
    }

    /** As {@link #NetworkClassifier(MultiLayerNetwork, ImageShape)}, with the given gradient path. */
    public NetworkClassifier(MultiLayerNetwork network, ImageShape shape, GradientPath path) {
        this(network, shape, path, BackpropOptions.fromSystemProperties());
    }

    /** A graph with one input and one output that ends in a softmax, with {@link GradientPath#AUTO} (the general engine). */
    public NetworkClassifier(ComputationGraph graph, ImageShape shape) {
        this(graph, shape, GradientPath.AUTO);
    }

    /** As {@link #NetworkClassifier(ComputationGraph, ImageShape)}; FAST is refused (the fast engine runs MultiLayerNetworks only). */
    public NetworkClassifier(ComputationGraph graph, ImageShape shape, GradientPath path) {
        this(graph, shape, path, BackpropOptions.fromSystemProperties());
    }

    /**
     * @param model   a {@link MultiLayerNetwork} or a {@link ComputationGraph} that ends in a softmax
     * @param shape   shape of one input image, [c, h, w]
     * @param path    which engine computes input gradients
     * @param options the fast engine's convolution paths (unused by the general engine)
     * @throws IllegalArgumentException for FAST on a network the fast engine does not know (naming
     *                                  the layer), or a network neither engine can run
     */
    public NetworkClassifier(Model model, ImageShape shape, GradientPath path, BackpropOptions options) {
        this.model = Objects.requireNonNull(model, "model");
        this.shape = Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("model: expected a MultiLayerNetwork or a ComputationGraph, got "
                    + model.getClass().getSimpleName());
        }
        this.dataType = model.params().dataType();
        Optional<String> fastRefuses = model instanceof MultiLayerNetwork net ? FastEngine.unsupported(net)
                : Optional.of("it is a ComputationGraph (the fast engine runs MultiLayerNetworks only)");
        if (path == GradientPath.FAST && fastRefuses.isPresent()) {
            throw new IllegalArgumentException("gradient path FAST: " + fastRefuses.get() + "; use AUTO or GENERAL");
        }
        if (path != GradientPath.GENERAL && fastRefuses.isEmpty()) {
            FastEngine fast = new FastEngine((MultiLayerNetwork) model, options, BackendInfo.oneDnn());
            this.engine = fast;
            this.numClasses = fast.numClasses();
            this.path = GradientPath.FAST;
        } else {
            GeneralEngine general = model instanceof MultiLayerNetwork net ? new GeneralEngine(net, shape)
                    : new GeneralEngine((ComputationGraph) model, shape);
            this.engine = general;
            this.numClasses = general.numClasses();
            this.path = GradientPath.GENERAL;
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("model: a classifier needs at least 2 classes, got " + numClasses);
        }
    }

    /**
     * A classifier over a network whose output is the logits (no softmax at its end, e.g. an
     * imported model): probabilities are softmax(output), computed here as for every other
     * network; input gradients come from the {@link GradientPath#GENERAL} engine.
     *
     * @param model a {@link MultiLayerNetwork} or a single-input, single-output {@link ComputationGraph}
     * @param shape shape of one input image as the network takes it, [c, h, w]
     * @throws IllegalArgumentException for a network the general engine cannot run, naming the part
     */
    public static NetworkClassifier ofLogits(Model model, ImageShape shape) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(shape, "shape");
        return new NetworkClassifier(model, shape, GeneralEngine.ofLogits(model, shape));
    }

    private NetworkClassifier(Model model, ImageShape shape, GeneralEngine engine) {
        this.model = model;
        this.shape = shape;
        this.dataType = model.params().dataType();
        this.engine = engine;
        this.numClasses = engine.numClasses();
        this.path = GradientPath.GENERAL;
        if (numClasses < 2) {
            throw new IllegalArgumentException("model: a classifier needs at least 2 classes, got " + numClasses);
        }
    }

    /**
     * The wrapped network (read-only by contract: do not train it while attacks run).
     *
     * @throws IllegalStateException when this classifier wraps a ComputationGraph (see {@link #model()})
     */
    public MultiLayerNetwork network() {
        if (model instanceof MultiLayerNetwork net) {
            return net;
        }
        throw new IllegalStateException("network(): this classifier wraps a ComputationGraph; use model()");
    }

    /** The wrapped network: a MultiLayerNetwork or a ComputationGraph. */
    public Model model() {
        return model;
    }

    /** The engine that computes this classifier's logits and input gradients: FAST or GENERAL (never AUTO). */
    public GradientPath gradientPath() {
        return path;
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
        int n = (int) x.size(0);
        queries.addAndGet(n);
        return softmax(engine.logits(x), n);
    }

    /** Not counted as queries: features belong to the evaluation side, not to the attacked API. */
    @Override
    public INDArray features(INDArray images) {
        return engine.features(checkImages(images));
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
        Objectives.Evaluation[] result = new Objectives.Evaluation[1];
        INDArray eps = engine.inputGradient(x, logits -> {
            result[0] = Objectives.evaluate(objective, Tensors.rows(logits, n, numClasses), targets);
            return result[0].dLogitsFlat();
        }, gradientOut);
        // eps is the caller's buffer (written by the engine), or a work array reused by the next
        // call: then hand out a copy or copy it into the caller's buffer.
        INDArray gradient = eps == gradientOut ? gradientOut
                : gradientOut == null ? eps.reshape(x.shape()).dup() : gradientOut.assign(eps.reshape(x.shape()));
        return InputGradient.ofValues(result[0].cost(), result[0].probabilities(), gradient, dataType);
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

    /** Softmax of [n, classes] logits, in double as {@link #inputGradient} computes it; one bulk read, one array out. */
    private INDArray softmax(INDArray logits, int n) {
        double[][] z = Tensors.rows(logits, n, numClasses);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = Objectives.softmax(z[i]);
        }
        return Nd4j.create(p).castTo(dataType);
    }

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
        // The fast engine slices images and reshapes them in place (im2col per image, NHWC as a
        // reshape): it takes plain c-order arrays, so a view (a sub-batch) or an f-order array is copied once.
        return Tensors.isPlainBlock(images) ? images : images.dup('c');
    }
}
