package dev.mi4j.experiments.audit;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one place the audit turns a model file into an {@link AuditedModel}. Today: models saved by
 * mi4j ({@code .zip} with the {@code .provenance.json} beside it, loaded by {@link ModelStore}
 * from an allow-list of entries, never Java-deserialised). Keras ({@code .h5}) and ONNX files are
 * refused in one line until the model importer is part of the build; it plugs in here.
 */
public final class AuditModels {

    private AuditModels() {
    }

    /** Loads {@code file}, or refuses it in one line naming it. */
    public static AuditedModel load(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        String imported = name.endsWith(".onnx") ? "ONNX"
                : name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras") ? "Keras" : null;
        if (imported != null) {
            throw new Mi4jException("model file " + file + ": auditing " + imported + " models needs the model importer,"
                    + " which is not available in this build yet; mi4j audit reads models saved by mi4j (.zip with its .provenance.json)");
        }
        if (!Files.isRegularFile(file)) {
            throw new Mi4jException("model file " + file + " does not exist");
        }
        if (!name.endsWith(".zip")) {
            throw new Mi4jException("model file " + file + ": unknown model format (mi4j audit reads models saved by mi4j,"
                    + " a .zip with its .provenance.json)");
        }
        return AuditedModel.of(ModelStore.load(file));
    }
}
