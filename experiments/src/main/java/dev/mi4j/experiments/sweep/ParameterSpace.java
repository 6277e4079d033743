package dev.mi4j.experiments.sweep;

import dev.mi4j.core.Mi4jException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values one swept parameter may take. Four kinds:
 * <ul>
 *   <li>{@link Values}: an explicit list of numbers or strings (grid and random both pick among them);</li>
 *   <li>{@link LinearRange}: {@code count} evenly spaced values from min to max (both included) for a grid,
 *       uniform in [min, max] for a random search;</li>
 *   <li>{@link LogRange}: {@code count} values evenly spaced in log space for a grid, log-uniform in
 *       [min, max] for a random search (min, max &gt; 0);</li>
 *   <li>{@link IntRange}: min, min+step, ... up to max (included when reached), for both strategies.</li>
 * </ul>
 * Generated doubles are rounded to 12 significant digits, so a grid value reads 0.3 rather than
 * 0.30000000000000004 in CSV files and trial ids.
 */
public sealed interface ParameterSpace
        permits ParameterSpace.Values, ParameterSpace.LinearRange, ParameterSpace.LogRange, ParameterSpace.IntRange {

    /** The finite set of values a grid search visits, in order. */
    List<Object> gridValues();

    /** Short human-readable form, e.g. {@code log(1e-3, 1, 4)}. */
    String describe();

    static ParameterSpace values(List<?> values) {
        return new Values(new ArrayList<>(values));
    }

    static ParameterSpace linear(double min, double max, int count) {
        return new LinearRange(min, max, count);
    }

    static ParameterSpace log(double min, double max, int count) {
        return new LogRange(min, max, count);
    }

    static ParameterSpace intRange(int min, int max, int step) {
        return new IntRange(min, max, step);
    }

    /** An explicit list of values: numbers (Integer, Long, Double) or strings, no duplicates. */
    record Values(List<Object> values) implements ParameterSpace {
        public Values {
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("values: the list must hold at least one value");
            }
            List<Object> normalised = new ArrayList<>(values.size());
            for (Object v : values) {
                Object n = normalise(v);
                if (normalised.contains(n)) {
                    throw new IllegalArgumentException("values: duplicate value " + v);
                }
                normalised.add(n);
            }
            values = Collections.unmodifiableList(normalised);
        }

        @Override
        public List<Object> gridValues() {
            return values;
        }

        @Override
        public String describe() {
            return values.toString();
        }

        private static Object normalise(Object v) {
            if (v instanceof String || v instanceof Integer || v instanceof Long) {
                return v;
            }
            if (v instanceof Short || v instanceof Byte) {
                return ((Number) v).intValue();
            }
            if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
                double d = ((Number) v).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("values: non-finite number " + v);
                }
                return round(d);
            }
            if (v instanceof Boolean b) {
                return b.toString();
            }
            throw new IllegalArgumentException("values: " + (v == null ? "null" : v.getClass().getSimpleName())
                    + " value " + v + " is neither a number nor a string");
        }
    }

    record LinearRange(double min, double max, int count) implements ParameterSpace {
        public LinearRange {
            checkRange("linear", min, max, count);
        }

        @Override
        public List<Object> gridValues() {
            List<Object> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(count == 1 ? round(min) : round(min + (max - min) * i / (count - 1)));
            }
            return Collections.unmodifiableList(out);
        }

        /** Maps u in [0, 1] onto [min, max] linearly. */
        double at(double u) {
            return round(min + (max - min) * u);
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "linear(%s, %s, %d)", min, max, count);
        }
    }

    record LogRange(double min, double max, int count) implements ParameterSpace {
        public LogRange {
            checkRange("log", min, max, count);
            if (min <= 0) {
                throw new IllegalArgumentException("log: min must be > 0, got " + min);
            }
        }

        @Override
        public List<Object> gridValues() {
            List<Object> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(count == 1 ? round(min) : at((double) i / (count - 1)));
            }
            return Collections.unmodifiableList(out);
        }

        /** Maps u in [0, 1] onto [min, max] evenly in log space (u = 1 gives max exactly). */
        double at(double u) {
            if (u >= 1) {
                return round(max);
            }
            return round(Math.exp(Math.log(min) + (Math.log(max) - Math.log(min)) * u));
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "log(%s, %s, %d)", min, max, count);
        }
    }

    record IntRange(int min, int max, int step) implements ParameterSpace {
        public IntRange {
            if (step <= 0) {
                throw new IllegalArgumentException("int range: step must be > 0, got " + step);
            }
            if (max < min) {
                throw new IllegalArgumentException("int range: max (" + max + ") must be >= min (" + min + ")");
            }
            if (((long) max - min) / step + 1 > 1_000_000) {
                throw new IllegalArgumentException("int range: more than 1,000,000 values from " + min + " to " + max + " by " + step);
            }
        }

        @Override
        public List<Object> gridValues() {
            List<Object> out = new ArrayList<>();
            for (long v = min; v <= max; v += step) {
                out.add((int) v);
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        public String describe() {
            return "int(" + min + ", " + max + ", step " + step + ")";
        }
    }

    /**
     * Reads a space from a parsed config node (YAML/JSON): a list is a {@link Values} list; a map
     * has {@code type} = {@code values} (with {@code values}), {@code linear} or {@code log} (with
     * {@code min}, {@code max}, {@code count}), or {@code int} (with {@code min}, {@code max},
     * optional {@code step}, default 1). Errors name the parameter.
     */
    static ParameterSpace fromConfig(String parameter, Object node) {
        try {
            if (node instanceof List<?> list) {
                return values(list);
            }
            if (!(node instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("expected a list of values or a map with 'type', got "
                        + (node == null ? "nothing" : node.getClass().getSimpleName()));
            }
            Object type = map.get("type");
            String kind = type == null ? "" : type.toString().toLowerCase(Locale.ROOT);
            return switch (kind) {
                case "values" -> {
                    if (!(map.get("values") instanceof List<?> list)) {
                        throw new IllegalArgumentException("'values' must be a list");
                    }
                    yield values(list);
                }
                case "linear" -> linear(number(map, "min"), number(map, "max"), integer(map, "count", null));
                case "log" -> log(number(map, "min"), number(map, "max"), integer(map, "count", null));
                case "int", "integer" -> intRange(integer(map, "min", null), integer(map, "max", null), integer(map, "step", 1));
                default -> throw new IllegalArgumentException("'type' must be one of values, linear, log, int; got '" + type + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new Mi4jException("sweep parameter '" + parameter + "': " + e.getMessage(), e);
        }
    }

    private static double number(Map<?, ?> map, String key) {
        Object v = map.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("'" + key + "' must be a number, got " + v);
    }

    private static int integer(Map<?, ?> map, String key, Integer fallback) {
        Object v = map.get(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            long l = ((Number) v).longValue();
            if (l == (int) l) {
                return (int) l;
            }
        }
        throw new IllegalArgumentException("'" + key + "' must be an integer, got " + v);
    }

    private static void checkRange(String kind, double min, double max, int count) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException(kind + ": min and max must be finite, got " + min + ", " + max);
        }
        if (max < min) {
            throw new IllegalArgumentException(kind + ": max (" + max + ") must be >= min (" + min + ")");
        }
        if (count < 1) {
            throw new IllegalArgumentException(kind + ": count must be >= 1, got " + count);
        }
        if (count > 1 && max == min) {
            throw new IllegalArgumentException(kind + ": count " + count + " needs max > min (both are " + min + ")");
        }
    }

    /** 12 significant digits: hides binary rounding noise, keeps every value a sweep can tell apart. */
    static double round(double d) {
        if (d == 0 || !Double.isFinite(d)) {
            return d == 0 ? 0.0 : d;
        }
        return new BigDecimal(d).round(new MathContext(12)).doubleValue();
    }
}
