package dev.mi4j.core.model.imports;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.NetworkClassifier;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A model imported by {@link ModelImports}: the DL4J network as imported (a MultiLayerNetwork or
 * a ComputationGraph; for ONNX, the network converted from the graph), the declared input, the
 * number of classes and where it came from. The network is never modified: the classifier view
 * reads its parameters only.
 *
 * @param network    the network, as imported
 * @param input      the declared input shape and preprocessing
 * @param numClasses number of output classes
 * @param provenance file, format, checksum, producer, notes
 */
public record ImportedModel(Model network, InputSpec input, int numClasses, ImportProvenance provenance) {

    public ImportedModel {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(provenance, "provenance");
        if (!(network instanceof MultiLayerNetwork) && !(network instanceof ComputationGraph)) {
            throw new IllegalArgumentException("network: expected a MultiLayerNetwork or a ComputationGraph, got "
                    + network.getClass().getSimpleName());
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses: a classifier needs at least 2 classes, got " + numClasses);
        }
    }

    /**
     * The white-box view over mi4j's [0, 1] images of {@code input().shape()}: the declared
     * preprocessing and the network's own input layout (NHWC for channels_last Keras models) are
     * applied inside, differentiably, so input gradients are with respect to the [0, 1] pixels.
     * Probabilities are the softmax of the network's logits; a network that ends in logits (no
     * softmax; the provenance notes say so) gets the softmax here. Each call builds a new view
     * with its own query counter.
     *
     * @throws Mi4jException naming the file when the network cannot be run as a classifier
     */
    public DifferentiableClassifier classifier() {
        try {
            return view(network, input, provenance.file());
        } catch (Mi4jException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Mi4jException("model file " + provenance.file() + " cannot be run on " + input.shape() + " images: "
                    + firstLine(e.getMessage()), e);
        }
    }

    /**
     * @throws Mi4jException when this model does not take images of the given shape (one line
     *                       naming the file, the model's shape and {@code what}, e.g. the dataset)
     */
    public void requireInputShape(ImageShape shape, String what) {
        if (!input.shape().equals(shape)) {
            throw new Mi4jException("model file " + provenance.file() + " takes " + input.shape() + " images, but "
                    + what + " has " + shape + " images (resize the dataset or declare another input shape)");
        }
    }

    /**
     * The view, or the engine's own exception when the network cannot run on the input shape
     * (callers word it: {@link #classifier()}, and {@link ModelImports#load} as a shape mismatch).
     *
     * @throws Mi4jException when the network is not a classifier (its output is neither softmax nor logits)
     */
    static ImportedClassifier view(Model network, InputSpec input, String file) {
        boolean channelsLast = NetworkAnatomy.channelsLast(network);
        NetworkAnatomy.Output out = NetworkAnatomy.output(network, file);
        ImageShape shape = ImportedClassifier.networkShape(input.shape(), channelsLast);
        NetworkClassifier net;
        if (out == NetworkAnatomy.Output.LOGITS) {
            net = NetworkClassifier.ofLogits(network, shape);
        } else if (network instanceof MultiLayerNetwork m) {
            net = new NetworkClassifier(m, shape);
        } else {
            net = new NetworkClassifier((ComputationGraph) network, shape);
        }
        return new ImportedClassifier(net, input, channelsLast);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
