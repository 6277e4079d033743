package dev.mi4j.core.model.imports;

import dev.mi4j.core.io.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an imported model came from and how mi4j reads it: enough to report an audit and to tell
 * later whether the same file was audited.
 *
 * @param format   "keras-h5", "onnx" or "dl4j-zip"
 * @param file     the file as given
 * @param sha256   SHA-256 of the file's bytes
 * @param producer what made the file, as the file says: "pytorch 1.13.0" (ONNX producer fields),
 *                 "keras 2.11.0 (tensorflow)" (Keras attributes), "mi4j 0.1.0 (mlp)" or
 *                 "deeplearning4j" for zips; "unknown" when the file does not say
 * @param input    the declared input shape and preprocessing
 * @param notes    what the import did that a reader should know, one line each (no softmax at the
 *                 end, nodes that are identities at inference, the network's input layout, ...)
 */
public record ImportProvenance(String format, String file, String sha256, String producer, InputSpec input,
                               List<String> notes) {

    public ImportProvenance {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** As a JSON-ready map (the input spec as shape, scale, mean, std). */
    public Map<String, Object> toMap() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("shape", input.shape().toString());
        in.put("scale", input.scale());
        in.put("mean", input.mean());
        in.put("std", input.std());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", format);
        m.put("file", file);
        m.put("sha256", sha256);
        m.put("producer", producer);
        m.put("input", in);
        m.put("notes", notes);
        return m;
    }

    /** {@link #toMap()} as pretty JSON ({@link Json}). */
    public String toJson() {
        return Json.toJson(toMap());
    }
}
