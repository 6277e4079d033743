package dev.mi4j.experiments.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;

/**
 * A finished trial as stored in {@code <trial>/done.json} and as one line of {@code trials.jsonl}.
 * {@code message} is the one-line error of a failed trial, null otherwise. Non-finite metrics are
 * stored as JSON null (see core.io.Json) and read back as null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialRecord(
        @JsonProperty("trial_id") String trialId,
        @JsonProperty("params") LinkedHashMap<String, Object> params,
        @JsonProperty("metrics") LinkedHashMap<String, Object> metrics,
        @JsonProperty("status") String status,
        @JsonProperty("millis") long millis,
        @JsonProperty("queries") long queries,
        @JsonProperty("message") String message) {

    public TrialRecord {
        params = params == null ? new LinkedHashMap<>() : params;
        metrics = metrics == null ? new LinkedHashMap<>() : metrics;
    }

    public boolean failed() {
        return TrialOutcome.FAILED.equals(status);
    }
}
