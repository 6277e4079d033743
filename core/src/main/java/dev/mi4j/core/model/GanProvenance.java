package dev.mi4j.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mi4j.core.BuildInfo;
import dev.mi4j.core.image.ImageShape;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Where a {@link Gan} came from, saved as JSON beside it ({@link GanStore}).
 *
 * @param datasetName     name of the (public) images it was trained on, e.g. "public-faces"
 * @param datasetSha256   SHA-256 over the training images' sources (which files, in order)
 * @param datasetSummary  which images, in words (the public/private protocol's description)
 * @param images          number of training images (before flipping)
 * @param architecture    one line describing both networks
 * @param objective       the GAN loss, e.g. "non-saturating"
 * @param hyperparameters optimiser, batch, epochs, seed, width, augmentation
 * @param imageShape      shape of one generated image
 * @param latentDim       width of z
 * @param epochs          epochs run
 * @param history         per epoch: epoch, mean discriminator loss, mean generator loss, mean D(real), mean D(fake), seconds
 * @param trainingMillis  wall-clock training time
 * @param mi4jVersion     mi4j version that trained it
 * @param gitCommit       git commit of the working copy, or "unknown"
 * @param backend         ND4J backend used
 * @param createdAt       ISO-8601 instant
 */
public record GanProvenance(String datasetName, String datasetSha256, String datasetSummary, int images,
                            String architecture, String objective, Map<String, Object> hyperparameters,
                            ImageShape imageShape, int latentDim, int epochs, List<Map<String, Object>> history,
                            long trainingMillis, String mi4jVersion, String gitCommit, String backend, String createdAt) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public GanProvenance {
        hyperparameters = hyperparameters == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(hyperparameters));
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A record for a GAN trained now (version, commit, backend and time filled in). */
    public static GanProvenance create(String datasetName, String datasetSha256, String datasetSummary, int images,
                                       String architecture, String objective, Map<String, Object> hyperparameters,
                                       ImageShape imageShape, int latentDim, int epochs, List<Map<String, Object>> history,
                                       long trainingMillis) {
        return new GanProvenance(datasetName, datasetSha256, datasetSummary, images, architecture, objective,
                hyperparameters, imageShape, latentDim, epochs, history, trainingMillis, BuildInfo.version(),
                BuildInfo.gitCommit(), Provenance.backendName(), Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise GAN provenance: " + e.getMessage(), e);
        }
    }

    public static GanProvenance fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, GanProvenance.class);
    }
}
