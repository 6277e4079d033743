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
 * or a seeded random draw of {@code count} candidates. The keys must be sweepable parameters of
 * the config's attack ({@code mi4j attacks} lists them).
 */
public record SweepConfig(
        @JsonProperty("strategy") String strategy,
        @JsonProperty("count") Integer count,
        @JsonProperty("seed") Long seed,
        @JsonProperty("parameters") LinkedHashMap<String, Object> parameters) {

    public SweepConfig {
        strategy = strategy == null ? "grid" : strategy;
        count = count == null ? 0 : count;
        seed = seed == null ? 0L : seed;
        if (parameters == null || parameters.isEmpty()) {
            throw new Mi4jException("sweep.parameters must name at least one attack parameter to vary");
        }
        // Which keys an attack lets a sweep vary is the attack's to say: ExperimentConfig checks them.
    }

    /**
     * Refuses a key the attack does not let a sweep vary, naming it and the sweepable keys.
     */
    public void checkKeys(dev.mi4j.attacks.AttackSpec attack) {
        for (String p : parameters.keySet()) {
            if (!attack.sweepableKeys().contains(p)) {
                throw new ConfigKeyException("sweep", p, "sweep.parameters: '" + p + "' is not a sweepable parameter of attack "
                        + attack.name() + " " + new java.util.TreeSet<>(attack.sweepableKeys()), null);
            }
        }
    }

    public SweepSpec toSpec() {
        Map<String, ParameterSpace> spaces = new LinkedHashMap<>();
        parameters.forEach((k, v) -> spaces.put(k, ParameterSpace.fromConfig(k, v)));
        return new SweepSpec(spaces, Strategy.parse(strategy), count, seed);
    }
}
