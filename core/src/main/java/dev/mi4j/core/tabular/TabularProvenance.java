package dev.mi4j.core.tabular;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mi4j.core.BuildInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a tabular target came from: the data (name, manifest, how the CSV was read and encoded,
 * which records it was trained on), the model and its hyperparameters, what a training defense
 * did, and how well it predicts. The tabular sibling of {@link dev.mi4j.core.model.Provenance},
 * whose fields are image-shaped (input shape, architecture zoo).
 *
 * @param dataset         dataset name, e.g. "steak-survey"
 * @param manifestSha256  SHA-256 of the manifest the data was verified against (null if unknown)
 * @param data            what reading the data did (missing values, encodings, label, sensitive column)
 * @param split           which records were trained on (e.g. "members: seeded 50% of 331 respondents, seed 1")
 * @param model           "cart", "logreg" or "mlp"
 * @param description     one line, e.g. "CART decision tree (Tribuo 4.3.2), depth 8, 41 leaves"
 * @param hyperparameters what determines the trained model
 * @param classes         class names, indexed by label
 * @param trainAccuracy   accuracy on the records trained on
 * @param testAccuracy    accuracy on the held-out records (null if not measured)
 * @param trainingMillis  wall-clock training time
 * @param mi4jVersion     mi4j version that trained it
 * @param gitCommit       git commit of the working copy, or "unknown"
 * @param createdAt       ISO-8601 instant
 * @param defense         what a training defense did (null without one; left out of the JSON)
 */
public record TabularProvenance(String dataset, String manifestSha256, Map<String, Object> data, String split,
                                String model, String description, Map<String, Object> hyperparameters,
                                List<String> classes, double trainAccuracy, Double testAccuracy, long trainingMillis,
                                String mi4jVersion, String gitCommit, String createdAt,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> defense) {

    public TabularProvenance {
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
        hyperparameters = hyperparameters == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        classes = classes == null ? List.of() : List.copyOf(classes);
        defense = defense == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(defense));
    }

    /** A record for a model trained now (version, commit and time filled in). */
    public static TabularProvenance create(String dataset, String manifestSha256, Map<String, Object> data, String split,
                                           String model, String description, Map<String, Object> hyperparameters,
                                           List<String> classes, double trainAccuracy, Double testAccuracy,
                                           long trainingMillis, Map<String, Object> defense) {
        return new TabularProvenance(dataset, manifestSha256, data, split, model, description, hyperparameters, classes,
                trainAccuracy, testAccuracy, trainingMillis, BuildInfo.version(), BuildInfo.gitCommit(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), defense);
    }

    /** Accuracy of {@code model} on {@code data} (its queries are counted like any other). */
    public static double accuracy(TabularClassifier model, TabularData data) {
        if (data.size() == 0) {
            return Double.NaN;
        }
        org.nd4j.linalg.api.ndarray.INDArray p = model.predict(data.records());
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            if (p.getRow(i).argMax().getInt(0) == data.label(i)) {
                correct++;
            }
        }
        return (double) correct / data.size();
    }
}
