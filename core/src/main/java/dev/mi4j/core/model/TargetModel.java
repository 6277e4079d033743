package dev.mi4j.core.model;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained target network together with its provenance.
 *
 * @param network     the network
 * @param provenance  where it came from
 * @param source      where it was loaded from (a file path) or a short label for an in-memory model;
 *                    used in error messages
 * @param autoencoder for a {@link Architecture#DAE} target, the autoencoder its encoder was
 *                    pretrained in (what the Process-DAE step needs); null for other targets, or
 *                    for a DAE classifier file without its autoencoder beside it
 */
public record TargetModel(MultiLayerNetwork network, Provenance provenance, String source,
                          PretrainedAutoencoder autoencoder) {

    public TargetModel {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(provenance, "provenance");
        if (source == null) {
            source = "in-memory " + provenance.architecture() + " model";
        }
    }

    public TargetModel(MultiLayerNetwork network, Provenance provenance, String source) {
        this(network, provenance, source, null);
    }

    public TargetModel(MultiLayerNetwork network, Provenance provenance) {
        this(network, provenance, null, null);
    }

    /** The white-box view of this model ({@link GradientPath#AUTO}). */
    public NetworkClassifier classifier() {
        return classifier(GradientPath.AUTO);
    }

    /** The white-box view of this model, its input gradients from the given engine. */
    public NetworkClassifier classifier(GradientPath path) {
        return new NetworkClassifier(network, provenance.inputShape(), path);
    }

    /** Refuses to use this model on a dataset whose images or identities it was not built for. */
    public void checkFits(ImageShape shape, int numClasses, String datasetName) {
        if (!provenance.inputShape().equals(shape) || provenance.numClasses() != numClasses) {
            throw new Mi4jException("model " + source + " expects " + provenance.inputShape() + " inputs and "
                    + provenance.numClasses() + " classes, but dataset " + datasetName + " gives " + shape + " and "
                    + numClasses);
        }
    }
}
