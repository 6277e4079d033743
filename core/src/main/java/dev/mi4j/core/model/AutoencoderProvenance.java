package dev.mi4j.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mi4j.core.BuildInfo;
import dev.mi4j.core.image.ImageShape;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Where a DAE target's {@link Autoencoder} came from, saved as JSON beside it.
 *
 * @param datasetName           dataset the autoencoder was pretrained on (null if unknown)
 * @param datasetManifestSha256 SHA-256 of the dataset's file manifest (null if unknown)
 * @param split                 which images it saw (the classifier's training images only)
 * @param architecture          one line describing the autoencoder
 * @param hyperparameters       pretraining hyperparameters (corruption, epochs, learning rate, seed)
 * @param inputShape            shape of one input image
 * @param codeSize              width of the code layer
 * @param reconstructionMse     mean squared error of decode(encode(x)) against x on the clean training images
 * @param epochs                pretraining epochs run
 * @param trainingMillis        wall-clock pretraining time
 * @param mi4jVersion           mi4j version that trained it
 * @param gitCommit             git commit of the mi4j working copy, or "unknown"
 * @param backend               ND4J backend used
 * @param createdAt             ISO-8601 instant
 */
public record AutoencoderProvenance(String datasetName, String datasetManifestSha256, String split,
                                    String architecture, Map<String, Object> hyperparameters, ImageShape inputShape,
                                    int codeSize, double reconstructionMse, int epochs, long trainingMillis,
                                    String mi4jVersion, String gitCommit, String backend, String createdAt) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public AutoencoderProvenance {
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }

    /** A record for an autoencoder trained now (version, commit, backend and time filled in). */
    public static AutoencoderProvenance create(String datasetName, String datasetManifestSha256, String split,
                                               Map<String, Object> hyperparameters, ImageShape inputShape,
                                               double reconstructionMse, int epochs, long trainingMillis) {
        return new AutoencoderProvenance(datasetName, datasetManifestSha256, split,
                "denoising autoencoder: pixels -> " + Autoencoder.HIDDEN + " -> " + Autoencoder.CODE + " -> "
                        + Autoencoder.HIDDEN + " -> pixels, all sigmoid, binary cross-entropy",
                hyperparameters, inputShape, Autoencoder.CODE, reconstructionMse, epochs, trainingMillis,
                BuildInfo.version(), BuildInfo.gitCommit(), Provenance.backendName(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /** The same record with the dataset fields filled in (the trainer does not know them). */
    public AutoencoderProvenance withDataset(String name, String manifestSha256, String splitDescription) {
        return new AutoencoderProvenance(name, manifestSha256, splitDescription, architecture, hyperparameters,
                inputShape, codeSize, reconstructionMse, epochs, trainingMillis, mi4jVersion, gitCommit, backend,
                createdAt);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise autoencoder provenance: " + e.getMessage(), e);
        }
    }

    public static AutoencoderProvenance fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, AutoencoderProvenance.class);
    }
}
