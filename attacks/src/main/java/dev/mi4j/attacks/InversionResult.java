package dev.mi4j.attacks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The outcome of one attack run over all targets.
 *
 * @param reconstructions one per target, in the order of the targets given to invert
 * @param params          the attack's parameters and settings, for provenance
 * @param attackName      e.g. "MI-Face"
 * @param totalQueries    images sent to the model, all targets together
 * @param millis          wall-clock duration of the run
 */
public record InversionResult(List<Reconstruction> reconstructions, Map<String, Object> params,
                              String attackName, long totalQueries, long millis) {

    public InversionResult {
        reconstructions = List.copyOf(reconstructions);
        // Keeps insertion order for readable result files.
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The best images stacked, [n, c, h, w], in target order. */
    public INDArray images() {
        INDArray[] imgs = reconstructions.stream().map(Reconstruction::image).toArray(INDArray[]::new);
        return Nd4j.stack(0, imgs);
    }
}
