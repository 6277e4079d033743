package dev.mi4j.experiments.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.Classifier;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.experiments.pipeline.InversionRun;
import java.util.List;
import java.util.Objects;

/**
 * The model under audit, whatever it was made with: the classifier over [0, 1] images (never
 * modified), its input shape and number of classes, its provenance as JSON (copied into
 * verdict.json), and whether input gradients are available (white-box attacks run only then).
 *
 * @param source       the file it was loaded from
 * @param format       what the file is, e.g. "mi4j-zip" (later "onnx", "keras-h5")
 * @param classifier   the model; a {@link DifferentiableClassifier} when {@code gradients}
 * @param inputShape   shape of one input image
 * @param numClasses   number of outputs (identities)
 * @param classNames   the identity of each output when the provenance names them, else null
 * @param provenance   where the model came from (file, sha256, producer, training record), as JSON
 * @param gradients    whether the audit may differentiate the model (white-box attacks)
 * @param testAccuracy the accuracy its provenance records, or null
 */
public record AuditedModel(String source, String format, Classifier classifier, ImageShape inputShape, int numClasses,
                           List<String> classNames, JsonNode provenance, boolean gradients, Double testAccuracy) {

    public AuditedModel {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(inputShape, "inputShape");
        if (gradients && !(classifier instanceof DifferentiableClassifier)) {
            throw new IllegalArgumentException("classifier: gradients are claimed but " + classifier.getClass().getSimpleName()
                    + " has none");
        }
        classNames = classNames == null ? null : List.copyOf(classNames);
    }

    /** A model saved by mi4j ({@code model.zip} with its provenance). */
    public static AuditedModel of(TargetModel m) {
        return new AuditedModel(m.source(), "mi4j-zip", m.classifier(), m.provenance().inputShape(),
                m.provenance().numClasses(), m.provenance().classNames(), Json.mapper().valueToTree(m.provenance()), true,
                m.provenance().testAccuracy());
    }

    /** The architecture its provenance names, else its format. */
    public String architecture() {
        JsonNode a = provenance == null ? null : provenance.get("architecture");
        return a != null && a.isTextual() ? a.asText() : format;
    }

    /** The model as an inversion run sees it (the autoencoder of a DAE target is not used by the audit). */
    public InversionRun.Subject subject() {
        return new InversionRun.Subject(source, architecture(), classifier, provenance, testAccuracy, null);
    }

    /**
     * Refuses a dataset the model cannot be audited on: other image shape, other number of
     * identities, or (when the model's provenance names them) other identities.
     */
    public void checkFits(ImageShape shape, int identities, List<String> names, String dataset) {
        if (!inputShape.equals(shape)) {
            throw new Mi4jException("model " + source + " takes " + inputShape + " images but dataset " + dataset + " has "
                    + shape + " images: audit it on images of its own input shape (--resize reads the dataset at "
                    + inputShape.height() + "x" + inputShape.width() + ")");
        }
        if (numClasses != identities) {
            throw new Mi4jException("model " + source + " has " + numClasses + " outputs but dataset " + dataset + " has "
                    + identities + " identities: the audit needs the identities the model was trained on, one per output");
        }
        if (classNames != null && !classNames.equals(names)) {
            throw new Mi4jException("model " + source + " was trained on identities " + abbreviate(classNames) + " but dataset "
                    + dataset + " has " + abbreviate(names) + ": the audit needs the same identities in the same order");
        }
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 6 ? names.toString()
                : "[" + String.join(", ", names.subList(0, 5)) + ", ... (" + names.size() + ")]";
    }
}
