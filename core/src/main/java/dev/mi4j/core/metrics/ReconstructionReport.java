package dev.mi4j.core.metrics;

import dev.mi4j.core.io.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ReconstructionEvaluator} measured: one entry per target, in the order given, and
 * the aggregate. Serialised with {@link Json} (non-finite numbers become null).
 */
public record ReconstructionReport(List<TargetMetrics> targets, AggregateMetrics aggregate) {

    public ReconstructionReport {
        targets = List.copyOf(targets);
    }

    public String toJson() {
        return Json.toJson(this);
    }

    /** Writes the report as pretty JSON (e.g. a trial's metrics.json), atomically. */
    public void write(Path file) {
        Json.write(file, this);
    }

    public static ReconstructionReport fromJson(String json) {
        return Json.fromJson(json, ReconstructionReport.class);
    }
}
