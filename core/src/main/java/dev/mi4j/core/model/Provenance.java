package dev.mi4j.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.BuildInfo;
import dev.mi4j.core.image.ImageShape;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a target model came from, saved as JSON beside the model file: enough to tell whether a
 * model fits a dataset, to reproduce it, and to report it.
 *
 * @param datasetName             dataset the model was trained on, e.g. "att-faces"
 * @param datasetManifestSha256   SHA-256 of the dataset's file manifest (null if unknown)
 * @param split                   how the training images were chosen
 * @param seed                    training seed
 * @param architecture            architecture id, e.g. "mlp"
 * @param architectureDescription one line describing the network
 * @param hyperparameters         training hyperparameters
 * @param numClasses              number of identities
 * @param inputShape              shape of one input image
 * @param classNames              identity names, indexed by label
 * @param trainAccuracy           accuracy on the images trained on
 * @param testAccuracy            accuracy on the held-out test images, null if not measured
 * @param epochs                  epochs run
 * @param trainingMillis          wall-clock training time
 * @param mi4jVersion             mi4j version that trained it
 * @param gitCommit               git commit of the mi4j working copy, or "unknown"
 * @param backend                 ND4J backend used for training
 * @param createdAt               ISO-8601 instant
 * @param defense                 what the training-time defense did (its name, parameters and what it
 *                                measured, e.g. the epsilon spent), null for a model trained without
 *                                one; left out of the JSON when null, so undefended models' files are
 *                                unchanged
 */
public record Provenance(String datasetName, String datasetManifestSha256, String split, long seed,
                         String architecture, String architectureDescription, Map<String, Object> hyperparameters,
                         int numClasses, ImageShape inputShape, List<String> classNames, double trainAccuracy,
                         Double testAccuracy, int epochs, long trainingMillis, String mi4jVersion, String gitCommit,
                         String backend, String createdAt,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> defense) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Provenance {
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        defense = defense == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(defense));
    }

    /** A record without a training defense (the form of every provenance before defenses existed). */
    public Provenance(String datasetName, String datasetManifestSha256, String split, long seed,
                      String architecture, String architectureDescription, Map<String, Object> hyperparameters,
                      int numClasses, ImageShape inputShape, List<String> classNames, double trainAccuracy,
                      Double testAccuracy, int epochs, long trainingMillis, String mi4jVersion, String gitCommit,
                      String backend, String createdAt) {
        this(datasetName, datasetManifestSha256, split, seed, architecture, architectureDescription, hyperparameters,
                numClasses, inputShape, classNames, trainAccuracy, testAccuracy, epochs, trainingMillis, mi4jVersion,
                gitCommit, backend, createdAt, null);
    }

    /** A record for a model trained now, in this process (version, commit, backend and time filled in). */
    public static Provenance create(String datasetName, String datasetManifestSha256, String split, long seed,
                                    Architecture architecture, Map<String, Object> hyperparameters, int numClasses,
                                    ImageShape inputShape, List<String> classNames, double trainAccuracy,
                                    Double testAccuracy, int epochs, long trainingMillis) {
        return new Provenance(datasetName, datasetManifestSha256, split, seed, architecture.id(),
                architecture.description(), hyperparameters, numClasses, inputShape, classNames, trainAccuracy,
                testAccuracy, epochs, trainingMillis, BuildInfo.version(), BuildInfo.gitCommit(), backendName(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /** The same record with a test accuracy filled in. */
    public Provenance withTestAccuracy(Double accuracy) {
        return new Provenance(datasetName, datasetManifestSha256, split, seed, architecture, architectureDescription,
                hyperparameters, numClasses, inputShape, classNames, trainAccuracy, accuracy, epochs, trainingMillis,
                mi4jVersion, gitCommit, backend, createdAt, defense);
    }

    /** The same record with what the training-time defense did ({@code TrainingResult.defense()}; null: none). */
    public Provenance withDefense(Map<String, Object> record) {
        return new Provenance(datasetName, datasetManifestSha256, split, seed, architecture, architectureDescription,
                hyperparameters, numClasses, inputShape, classNames, trainAccuracy, testAccuracy, epochs, trainingMillis,
                mi4jVersion, gitCommit, backend, createdAt, record);
    }

    /** Simple class name of the ND4J backend in use, with "-onednn" for the oneDNN natives: "CpuBackend-onednn". */
    public static String backendName() {
        return Nd4j.getBackend().getClass().getSimpleName() + (BackendInfo.oneDnn() ? "-onednn" : "");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise provenance: " + e.getMessage(), e);
        }
    }

    /** Parses the JSON written by {@link #toJson()}; throws Jackson's exception on malformed input. */
    public static Provenance fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, Provenance.class);
    }
}
