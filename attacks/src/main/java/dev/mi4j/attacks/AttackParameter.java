package dev.mi4j.attacks;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One declared parameter of an attack: its key (as written in configs, sweeps and
 * {@code mi4j attacks}), its kind, its default, whether a sweep may vary it, and one line of
 * documentation. Values from YAML or the command line are turned into the declared kind by
 * {@link #coerce}, which rejects anything else with a message that starts with the key.
 *
 * @param choices the allowed values of a {@link Kind#CHOICE} parameter (parsed case-insensitively,
 *                '-' and '_' alike); empty for the other kinds
 */
public record AttackParameter(String key, Kind kind, Object defaultValue, boolean sweepable, String doc,
                              List<String> choices) {

    /** The value types a parameter can have. */
    public enum Kind { INT, LONG, DOUBLE, BOOLEAN, STRING, CHOICE }

    public AttackParameter {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(doc, "doc");
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (kind == Kind.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException(key + ": a CHOICE parameter needs its choices");
        }
    }

    public static AttackParameter integer(String key, int def, boolean sweepable, String doc) {
        return new AttackParameter(key, Kind.INT, def, sweepable, doc, List.of());
    }

    public static AttackParameter longValue(String key, long def, boolean sweepable, String doc) {
        return new AttackParameter(key, Kind.LONG, def, sweepable, doc, List.of());
    }

    public static AttackParameter real(String key, double def, boolean sweepable, String doc) {
        return new AttackParameter(key, Kind.DOUBLE, def, sweepable, doc, List.of());
    }

    public static AttackParameter bool(String key, boolean def, boolean sweepable, String doc) {
        return new AttackParameter(key, Kind.BOOLEAN, def, sweepable, doc, List.of());
    }

    public static AttackParameter string(String key, String def, boolean sweepable, String doc) {
        return new AttackParameter(key, Kind.STRING, def, sweepable, doc, List.of());
    }

    /** A parameter whose value is one of {@code choices}, written in lower case. */
    public static AttackParameter choice(String key, String def, List<String> choices, boolean sweepable, String doc) {
        return new AttackParameter(key, Kind.CHOICE, def, sweepable, doc, choices);
    }

    /** The value's form for a human: choices listed, numbers and strings named. */
    public String kindName() {
        return switch (kind) {
            case INT, LONG -> "integer";
            case DOUBLE -> "number";
            case BOOLEAN -> "true|false";
            case STRING -> "string";
            case CHOICE -> String.join("|", choices);
        };
    }

    /**
     * {@code raw} as this parameter's kind: integers for INT/LONG (a number with a fraction is
     * refused), any number for DOUBLE, true/false for BOOLEAN, a string for STRING, one of the
     * choices for CHOICE (returned as the declared choice).
     *
     * @throws IllegalArgumentException starting with the key, naming what was expected and given
     */
    public Object coerce(Object raw) {
        if (raw == null) {
            throw new IllegalArgumentException(key + ": expected " + kindName() + ", got nothing");
        }
        switch (kind) {
            case INT, LONG -> {
                Long v = asLong(raw);
                if (v == null || (kind == Kind.INT && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE))) {
                    throw bad(raw);
                }
                return kind == Kind.INT ? (Object) v.intValue() : (Object) v;
            }
            case DOUBLE -> {
                if (raw instanceof Number n) {
                    return n.doubleValue();
                }
                try {
                    return Double.parseDouble(raw.toString().trim());
                } catch (NumberFormatException e) {
                    throw bad(raw);
                }
            }
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    return b;
                }
                String s = raw.toString().trim().toLowerCase(Locale.ROOT);
                if (s.equals("true") || s.equals("false")) {
                    return Boolean.parseBoolean(s);
                }
                throw bad(raw);
            }
            case STRING -> {
                if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
                    return raw.toString();
                }
                throw bad(raw);
            }
            case CHOICE -> {
                String s = normalise(raw.toString());
                for (String c : choices) {
                    if (normalise(c).equals(s)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException(key + ": unknown value '" + raw + "' (expected one of "
                        + String.join(", ", choices) + ")");
            }
            default -> throw new IllegalStateException("kind " + kind);
        }
    }

    private static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static Long asLong(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (long) d : null;
        }
        try {
            return Long.parseLong(raw.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private IllegalArgumentException bad(Object raw) {
        return new IllegalArgumentException(key + ": expected " + kindName() + ", got '" + raw + "'");
    }
}
