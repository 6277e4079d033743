package dev.mi4j.experiments.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

/**
 * Translates mi4j parameter spaces into Arbiter ones.
 *
 * <p>For a grid every parameter becomes a {@link DiscreteParameterSpace} over its exact grid
 * values: Arbiter's grid generator discretises continuous and integer spaces with ONE
 * {@code discretizationCount} shared by all parameters (a linear range of 5 and a log range of 3
 * cannot both be honoured) and has no integer step. For a random search, linear ranges become
 * {@link ContinuousParameterSpace} (uniform), log ranges a {@link LogUniformSpace}, lists and
 * integer ranges a {@link DiscreteParameterSpace} (uniform over the values).
 */
final class ArbiterSpaces {

    private ArbiterSpaces() {
    }

    static NamedSpaces forGrid(SweepSpec spec) {
        Map<String, Object> entries = new LinkedHashMap<>();
        spec.spaces().forEach((name, space) -> entries.put(name, single(space) != null ? single(space)
                : new DiscreteParameterSpace<>(space.gridValues())));
        return new NamedSpaces(entries);
    }

    static NamedSpaces forRandom(SweepSpec spec) {
        Map<String, Object> entries = new LinkedHashMap<>();
        spec.spaces().forEach((name, space) -> entries.put(name, single(space) != null ? single(space) : randomLeaf(space)));
        return new NamedSpaces(entries);
    }

    /**
     * The value of a one-valued space, else null. Such parameters are kept out of Arbiter: beta7's
     * grid generator packs only the parameters with more than one value into the array it hands to
     * the leaves, while the leaves' indices count all of them, so any single-valued parameter shifts
     * the others (ArrayIndexOutOfBoundsException, or a wrong value read).
     */
    private static Object single(dev.mi4j.experiments.sweep.ParameterSpace space) {
        List<Object> values = space.gridValues();
        return values.size() == 1 ? new Fixed(values.get(0)) : null;
    }

    /** A constant parameter, filled in by {@link NamedSpaces} without Arbiter. */
    record Fixed(Object value) {
    }

    private static ParameterSpace<?> randomLeaf(dev.mi4j.experiments.sweep.ParameterSpace space) {
        if (space instanceof dev.mi4j.experiments.sweep.ParameterSpace.LinearRange lin && lin.count() > 1) {
            return new ContinuousParameterSpace(lin.min(), lin.max());
        }
        if (space instanceof dev.mi4j.experiments.sweep.ParameterSpace.LogRange log && log.count() > 1) {
            return new LogUniformSpace(log);
        }
        // lists, integer ranges and single-valued ranges: uniform over the exact values
        return new DiscreteParameterSpace<>(space.gridValues());
    }

    /**
     * The composite space: one leaf per parameter, value = an ordered map name -> value
     * (LinkedHashMap of Integer/Double/String: Serializable, as Arbiter's Candidate requires).
     *
     * <p>Leaves are reported in REVERSE parameter order because Arbiter's grid changes its first
     * leaf fastest; reversed, the first parameter changes slowest, like nested for-loops or
     * Python's itertools.product.
     */
    static final class NamedSpaces implements ParameterSpace<LinkedHashMap<String, Object>> {
        /** name -> Arbiter leaf space, or {@link Fixed}, in parameter order */
        private final Map<String, Object> entries;
        private final Map<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();

        NamedSpaces(Map<String, Object> entries) {
            this.entries = entries;
            entries.forEach((name, e) -> {
                if (e instanceof ParameterSpace<?> ps) {
                    leaves.put(name, ps);
                }
            });
        }

        /** True when every parameter is fixed: one candidate, nothing for Arbiter to do. */
        boolean allFixed() {
            return leaves.isEmpty();
        }

        @Override
        public LinkedHashMap<String, Object> getValue(double[] parameterValues) {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                Object v = e.getValue() instanceof Fixed f ? f.value() : ((ParameterSpace<?>) e.getValue()).getValue(parameterValues);
                out.put(e.getKey(), v instanceof Double d ? dev.mi4j.experiments.sweep.ParameterSpace.round(d) : v);
            }
            return out;
        }

        @Override
        public int numParameters() {
            return leaves.values().stream().mapToInt(ParameterSpace::numParameters).sum();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public List<ParameterSpace> collectLeaves() {
            List<ParameterSpace> out = new ArrayList<>();
            for (ParameterSpace<?> leaf : leaves.values()) {
                out.addAll(leaf.collectLeaves());
            }
            Collections.reverse(out);
            return out;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Map<String, ParameterSpace> getNestedSpaces() {
            return new LinkedHashMap<>(leaves);
        }

        @Override
        public boolean isLeaf() {
            return false;
        }

        @Override
        public void setIndices(int... indices) {
            throw new UnsupportedOperationException("a composite space has no index of its own");
        }
    }

    /** A leaf mapping Arbiter's u in [0, 1) to a log-uniform value in [min, max]. */
    static final class LogUniformSpace implements ParameterSpace<Double> {
        private final dev.mi4j.experiments.sweep.ParameterSpace.LogRange range;
        private int index = -1;

        LogUniformSpace(dev.mi4j.experiments.sweep.ParameterSpace.LogRange range) {
            this.range = range;
        }

        @Override
        public Double getValue(double[] parameterValues) {
            if (index < 0) {
                throw new IllegalStateException("log space used before Arbiter assigned its index");
            }
            return range.at(parameterValues[index]);
        }

        @Override
        public int numParameters() {
            return 1;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public List<ParameterSpace> collectLeaves() {
            return List.of(this);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Map<String, ParameterSpace> getNestedSpaces() {
            return Map.of();
        }

        @Override
        public boolean isLeaf() {
            return true;
        }

        @Override
        public void setIndices(int... indices) {
            if (indices == null || indices.length != 1) {
                throw new IllegalArgumentException("a log space takes exactly one index");
            }
            index = indices[0];
        }
    }
}
