package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.experiments.sweep.ParameterSpace;
import dev.mi4j.experiments.sweep.Strategy;
import dev.mi4j.experiments.sweep.SweepSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sweep:} section: which attack parameters vary and how. Each parameter is a list of
 * values or a range ({@code {type: log, min: 0.01, max: 1, count: 3}}); the strategy is a grid
 * or a seeded random draw of {@code count} candidates.
 */
public record SweepConfig(
        @JsonProperty("strategy") String strategy,
        @JsonProperty("count") Integer count,
        @JsonProperty("seed") Long seed,
        @JsonProperty("parameters") LinkedHashMap<String, Object> parameters) {

    /** Attack parameters a sweep may vary (the names of the attack section). */
    public static final Set<String> SWEEPABLE = Set.of("alpha", "beta", "gamma", "gammaMode", "lambda", "objective", "init", "seed",
            "process");

    public SweepConfig {
        strategy = strategy == null ? "grid" : strategy;
        count = count == null ? 0 : count;
        seed = seed == null ? 0L : seed;
        if (parameters == null || parameters.isEmpty()) {
            throw new Mi4jException("sweep.parameters must name at least one attack parameter to vary");
        }
        for (String p : parameters.keySet()) {
            if (!SWEEPABLE.contains(p)) {
                throw new Mi4jException("sweep.parameters: '" + p + "' is not a sweepable attack parameter " + new java.util.TreeSet<>(SWEEPABLE));
            }
        }
    }

    public SweepSpec toSpec() {
        Map<String, ParameterSpace> spaces = new LinkedHashMap<>();
        parameters.forEach((k, v) -> spaces.put(k, ParameterSpace.fromConfig(k, v)));
        return new SweepSpec(spaces, Strategy.parse(strategy), count, seed);
    }
}
