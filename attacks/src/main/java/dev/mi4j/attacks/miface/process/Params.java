package dev.mi4j.attacks.miface.process;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The "k=v,k=v" part of a process step spec, with checks whose messages name the parameter. */
final class Params {

    private final String step;
    private final Map<String, String> values;

    private Params(String step, Map<String, String> values) {
        this.step = step;
        this.values = values;
    }

    /** Parses "k=v,k=v" (may be empty); every key must be one of {@code allowed}. */
    static Params parse(String step, String text, Set<String> allowed) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",", -1)) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("process: " + step + " parameter '" + part.trim()
                            + "' is not of the form name=value");
                }
                String key = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (!allowed.contains(key)) {
                    throw new IllegalArgumentException(key + ": unknown parameter of " + step + " (expected one of "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
                if (m.put(key, value) != null) {
                    throw new IllegalArgumentException(key + ": given twice for " + step);
                }
            }
        }
        return new Params(step, m);
    }

    double getDouble(String key, double dflt) {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": " + step + " expects a number, got '" + v + "'");
        }
    }

    int getInt(String key, int dflt) {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": " + step + " expects an integer, got '" + v + "'");
        }
    }

    /** Shortest text that parses back to the same double ("10" for 10.0, "0.5"). */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
