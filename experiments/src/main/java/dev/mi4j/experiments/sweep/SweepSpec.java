package dev.mi4j.experiments.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to sweep: the parameter spaces in a fixed order (the order of the CSV columns and of the
 * grid: the first parameter changes slowest, like nested loops), the strategy, the number of
 * trials for {@link Strategy#RANDOM} (ignored by a grid, which runs its whole product) and the seed
 * of the random strategy.
 */
public record SweepSpec(Map<String, ParameterSpace> spaces, Strategy strategy, int count, long seed) {

    public SweepSpec {
        if (spaces == null || spaces.isEmpty()) {
            throw new IllegalArgumentException("spaces: a sweep needs at least one parameter");
        }
        for (Map.Entry<String, ParameterSpace> e : spaces.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException("spaces: a parameter name is empty");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("spaces: parameter '" + e.getKey() + "' has no space");
            }
        }
        if (strategy == null) {
            throw new IllegalArgumentException("strategy: must be grid or random");
        }
        if (strategy == Strategy.RANDOM && count < 1) {
            throw new IllegalArgumentException("count: a random sweep needs count >= 1, got " + count);
        }
        spaces = Collections.unmodifiableMap(new LinkedHashMap<>(spaces));
    }

    /** The number of trials a grid over these spaces has. */
    public long gridSize() {
        long n = 1;
        for (ParameterSpace s : spaces.values()) {
            n = Math.multiplyExact(n, s.gridValues().size());
        }
        return n;
    }
}
