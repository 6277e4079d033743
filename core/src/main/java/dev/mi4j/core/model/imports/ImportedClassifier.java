package dev.mi4j.core.model.imports;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.Objective;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The white-box view of an imported model over mi4j's [0, 1] images of the declared shape
 * ([n, c, h, w]): the declared preprocessing x' = (x * scale - mean[c]) / std[c] and the
 * network's own input layout (NHWC for channels_last Keras models) are applied inside, and the
 * input gradient is chained back through both, d/dx = scale / std[c] * d/dx' (permuted back to
 * NCHW), so that an attack works in pixel space. The network itself runs through a
 * {@link NetworkClassifier} (query counting, probabilities as softmax of the logits in double;
 * a network that ends in logits gets the softmax here).
 */
final class ImportedClassifier implements DifferentiableClassifier {

    private final NetworkClassifier net;
    private final InputSpec spec;
    private final boolean channelsLast;
    private final DataType dataType;

    /**
     * @param net          the network's classifier over its own input layout: [c, h, w] for NCHW,
     *                     [h, w, c] (as the shape's three fields) for channels-last
     * @param spec         the declared input
     * @param channelsLast whether the network takes [n, h, w, c]
     */
    ImportedClassifier(NetworkClassifier net, InputSpec spec, boolean channelsLast) {
        this.net = Objects.requireNonNull(net, "net");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.channelsLast = channelsLast;
        this.dataType = net.model().params().dataType();
    }

    /** The network's input shape in its own axis order, for the inner {@link NetworkClassifier}. */
    static ImageShape networkShape(ImageShape s, boolean channelsLast) {
        return channelsLast ? new ImageShape(s.height(), s.width(), s.channels()) : s;
    }

    /** The wrapped network's classifier (its own input layout, no preprocessing). */
    NetworkClassifier network() {
        return net;
    }

    @Override
    public int numClasses() {
        return net.numClasses();
    }

    @Override
    public ImageShape inputShape() {
        return spec.shape();
    }

    @Override
    public INDArray predict(INDArray images) {
        return net.predict(toNetwork(images));
    }

    @Override
    public long queryCount() {
        return net.queryCount();
    }

    @Override
    public void resetQueryCount() {
        net.resetQueryCount();
    }

    @Override
    public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
        InputGradient g = net.inputGradient(toNetwork(images), targets, objective);
        return new InputGradient(g.cost(), g.probabilities(), toPixels(g.gradient()));
    }

    @Override
    public INDArray features(INDArray images) {
        return net.features(toNetwork(images));
    }

    /** [n, c, h, w] pixels in [0, 1] -> the network's input: preprocessed, in its layout. */
    INDArray toNetwork(INDArray images) {
        check(images);
        INDArray x = images.dataType() == dataType ? images : images.castTo(dataType);
        if (!spec.isIdentity()) {
            x = x.dup('c');
            for (int c = 0; c < spec.shape().channels(); c++) {
                INDArray ch = x.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all());
                ch.muli(spec.gain(c)).subi(spec.offset(c));
            }
        }
        return channelsLast ? x.permute(0, 2, 3, 1).dup('c') : x;
    }

    /** d cost / d network input -> d cost / d pixels, [n, c, h, w]. */
    private INDArray toPixels(INDArray g) {
        INDArray out = channelsLast ? g.permute(0, 3, 1, 2).dup('c') : g;
        if (!spec.isIdentity()) {
            for (int c = 0; c < spec.shape().channels(); c++) {
                out.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all())
                        .muli(spec.gain(c));
            }
        }
        return out;
    }

    private void check(INDArray images) {
        Objects.requireNonNull(images, "images");
        ImageShape s = spec.shape();
        if (images.rank() != 4 || images.size(1) != s.channels() || images.size(2) != s.height()
                || images.size(3) != s.width()) {
            throw new IllegalArgumentException("images: expected [n, " + s.channels() + ", " + s.height() + ", "
                    + s.width() + "], got " + Arrays.toString(images.shape()));
        }
    }
}
