package dev.mi4j.experiments.sweep;

import java.util.LinkedHashMap;

/**
 * One point of a sweep: its stable id (see {@link TrialIds}) and its parameter values in the
 * sweep's parameter order. Values are Integer, Long, Double or String.
 */
public record Trial(String id, LinkedHashMap<String, Object> params) {

    public Trial {
        if (id == null || !id.matches("[0-9a-f]{12}")) {
            throw new IllegalArgumentException("id: expected 12 lowercase hex digits, got '" + id + "'");
        }
        params = new LinkedHashMap<>(params);
    }

    /** "lr=0.1 steps=500": for progress lines and logs. */
    public String describeParams() {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }
}
