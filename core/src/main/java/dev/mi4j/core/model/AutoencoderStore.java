package dev.mi4j.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads the autoencoder of a {@link Architecture#DAE} target beside the classifier's
 * model file: {@code models/att-dae.zip} (the classifier, through {@link ModelStore}) gets
 * {@code models/att-dae.autoencoder.zip} and {@code models/att-dae.autoencoder.provenance.json}.
 * A sibling file rather than a second entry in the classifier's zip keeps the classifier file a
 * plain DL4J model that every existing loader reads. All files are written atomically.
 */
public final class AutoencoderStore {

    private AutoencoderStore() {
    }

    /** {@code models/att-dae.zip -> models/att-dae.autoencoder.zip}. */
    public static Path autoencoderPath(Path classifierZip) {
        String name = classifierZip.getFileName().toString();
        String stem = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return classifierZip.resolveSibling(stem + ".autoencoder.zip");
    }

    /** The autoencoder's provenance sidecar. */
    public static Path provenancePath(Path classifierZip) {
        return ModelStore.provenancePath(autoencoderPath(classifierZip));
    }

    /** True when a classifier file has an autoencoder saved beside it. */
    public static boolean exists(Path classifierZip) {
        return Files.isRegularFile(autoencoderPath(classifierZip)) && Files.isRegularFile(provenancePath(classifierZip));
    }

    /** Writes the autoencoder (no updater state) and its provenance beside {@code classifierZip}. */
    public static void save(PretrainedAutoencoder autoencoder, Path classifierZip) {
        Path zip = autoencoderPath(classifierZip);
        AtomicFiles.writeVia(zip, tmp -> ModelSerializer.writeModel(autoencoder.autoencoder().network(), tmp.toFile(),
                false));
        AtomicFiles.writeString(provenancePath(classifierZip), autoencoder.provenance().toJson() + "\n");
    }

    /**
     * Loads the autoencoder saved beside {@code classifierZip}.
     *
     * @throws Mi4jException naming the file when it or its provenance is missing or unreadable
     */
    public static PretrainedAutoencoder load(Path classifierZip) {
        Path zip = autoencoderPath(classifierZip);
        Path prov = provenancePath(classifierZip);
        if (!Files.isRegularFile(zip)) {
            throw new Mi4jException("autoencoder file " + zip + " does not exist (a DAE target saved by mi4j has one"
                    + " beside " + classifierZip.getFileName() + ")");
        }
        if (!Files.isRegularFile(prov)) {
            throw new Mi4jException("autoencoder file " + zip + " has no provenance file " + prov);
        }
        AutoencoderProvenance p;
        try {
            p = AutoencoderProvenance.fromJson(Files.readString(prov, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new Mi4jException("provenance file " + prov + " is not valid: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new Mi4jException("cannot read provenance file " + prov + ": " + e.getMessage(), e);
        }
        if (p.inputShape() == null) {
            throw new Mi4jException("provenance file " + prov + " lacks inputShape");
        }
        ModelStore.checkZip(zip);   // the same entry allow-list as a classifier file
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new Mi4jException("autoencoder file " + zip + " is not a readable DL4J network: " + e.getMessage(), e);
        }
        try {
            return new PretrainedAutoencoder(new Autoencoder(net, p.inputShape()), p);
        } catch (IllegalArgumentException e) {
            throw new Mi4jException("autoencoder file " + zip + " does not match its provenance " + prov + ": "
                    + e.getMessage(), e);
        }
    }
}
