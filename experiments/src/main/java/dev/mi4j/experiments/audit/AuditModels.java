package dev.mi4j.experiments.audit;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.imports.ImportedModel;
import dev.mi4j.core.model.imports.InputSpec;
import dev.mi4j.core.model.imports.ModelImports;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place the audit turns a model file into an {@link AuditedModel}: a model saved by mi4j
 * ({@code .zip} with its {@code .provenance.json} beside it, through {@link ModelStore}), or any
 * other model through the importer ({@link ModelImports}: Keras {@code .h5}, ONNX, outside DL4J
 * zips; the format is read from the file's content). Nothing is ever Java-deserialised or modified.
 */
public final class AuditModels {

    /**
     * The input preprocessing the user declares for an imported model: pixels in [0, 1] are
     * multiplied by {@code scale}, then {@code (x - mean) / std} per channel. Null fields: none.
     */
    public record Preprocessing(Double scale, double[] mean, double[] std) {

        boolean isNone() {
            return scale == null && mean == null && std == null;
        }
    }

    private AuditModels() {
    }

    /** Loads {@code file} with the declared preprocessing (imported models only), or refuses it in one line naming it. */
    public static AuditedModel load(Path file, Preprocessing pre) {
        if (!Files.isRegularFile(file)) {
            throw new Mi4jException("model file " + file + " does not exist");
        }
        if (Files.isRegularFile(ModelStore.provenancePath(file))) {
            if (!pre.isNone()) {
                throw new Mi4jException("model file " + file + " is a model saved by mi4j, which takes [0, 1] pixels:"
                        + " --input-scale/--input-mean/--input-std are for imported models");
            }
            return AuditedModel.of(ModelStore.load(file));
        }
        ImportedModel m;
        try {
            InputSpec spec = null;
            if (!pre.isNone()) {
                // The shape is the model's own: read it first, then declare the preprocessing on it.
                InputSpec own = ModelImports.load(file, null).input();
                spec = new InputSpec(own.shape(), pre.scale() == null ? 1.0 : pre.scale(), pre.mean(), pre.std());
            }
            m = ModelImports.load(file, spec);
        } catch (IllegalArgumentException e) {
            throw new Mi4jException("model file " + file + ": " + e.getMessage(), e);
        }
        return new AuditedModel(file.toString(), m.provenance().format(), m.classifier(), m.input().shape(), m.numClasses(),
                null, Json.mapper().valueToTree(m.provenance().toMap()), true, null);
    }
}
