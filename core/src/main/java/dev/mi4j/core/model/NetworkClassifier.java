package dev.mi4j.core.model;

import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.backprop.BackpropOptions;
import dev.mi4j.core.model.backprop.FastEngine;
import dev.mi4j.core.model.backprop.GradientEngine;
import dev.mi4j.core.model.backprop.Tensors;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link DifferentiableClassifier} over a DL4J {@link MultiLayerNetwork}: prediction with query
 * counting, penultimate features, and input gradients of every {@link Objective}.
 *
 * <p>The {@link FastEngine} computes the network's logits and back-propagates d cost / d logits
 * (from {@link Objectives}) to the images. Probabilities are softmax(logits) computed in double
 * by {@link Objectives}. Its convolution paths come from the system properties mi4j.conv.layout,
 * mi4j.conv.forward and mi4j.conv.backward ({@link BackpropOptions#fromSystemProperties()}), read
 * once when a classifier is built.
 *
 * <p>Thread-safe: the input-gradient pass is synchronized on this instance (the engine's work
 * arrays are shared). The network is never modified: the engine only reads its parameters.
 */
public final class NetworkClassifier implements DifferentiableClassifier {

    private final MultiLayerNetwork network;
    private final ImageShape shape;
    private final GradientEngine engine;
    private final int numClasses;
    private final DataType dataType;
    private final AtomicLong queries = new AtomicLong();

    /**
     * @param network a trained network whose last layer is a softmax OutputLayer
     * @param shape   shape of one input image, [c, h, w]
     */
    public NetworkClassifier(MultiLayerNetwork network, ImageShape shape) {
        this(network, shape, BackpropOptions.fromSystemProperties());
    }

    /** As {@link #NetworkClassifier(MultiLayerNetwork, ImageShape)}, with the fast engine's convolution paths given. */
    public NetworkClassifier(MultiLayerNetwork network, ImageShape shape, BackpropOptions options) {
        this.network = Objects.requireNonNull(network, "network");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.dataType = network.params().dataType();
        FastEngine fast = new FastEngine(network, Objects.requireNonNull(options, "options"), BackendInfo.oneDnn());
        this.engine = fast;
        this.numClasses = fast.numClasses();
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
        });
        // eps may be a work array (reused by the next call): hand out a copy or the caller's buffer.
        INDArray gradient = gradientOut == null ? eps.reshape(x.shape()).dup() : gradientOut.assign(eps.reshape(x.shape()));
        return new InputGradient(Nd4j.createFromArray(result[0].cost()).castTo(dataType),
                Nd4j.create(result[0].probabilities()).castTo(dataType), gradient);
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
