package dev.mi4j.experiments.sweep;

import java.util.LinkedHashMap;

/**
 * What a trial reports: metrics in a stable order (Number, String or Boolean values; NaN allowed,
 * stored as missing), the time it took in milliseconds (negative: let the runner use the wall
 * time it measured), the model queries used, and a status ("ok" unless the executor says
 * otherwise; the runner sets "failed" when the executor throws).
 */
public record TrialOutcome(LinkedHashMap<String, Object> metrics, long millis, long queries, String status) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public TrialOutcome {
        metrics = metrics == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metrics);
        status = status == null || status.isBlank() ? OK : status;
    }

    public static TrialOutcome ok(LinkedHashMap<String, Object> metrics, long millis, long queries) {
        return new TrialOutcome(metrics, millis, queries, OK);
    }
}
