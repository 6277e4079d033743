package dev.mi4j.experiments.sweep;

import dev.mi4j.core.io.Sha256;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trial ids: the first 12 hex digits of SHA-256 over a canonical text of the base config
 * fingerprint and the parameters sorted by name. Re-running a sweep derives the same ids, so a
 * resumed run recognises its finished trials; changing the base config changes every id.
 *
 * <p>Canonical text: {@code mi4j-trial-v1\n<fingerprint>\n} then one {@code name=value\n} line
 * per parameter in name order, where numbers are written as plain decimals without trailing
 * zeros (so 1, 1L and 1.0 are the same value) and strings are JSON-quoted (so the string "1"
 * differs from the number 1).
 */
public final class TrialIds {

    private TrialIds() {
    }

    public static String of(String baseFingerprint, Map<String, ?> params) {
        if (baseFingerprint == null) {
            throw new IllegalArgumentException("baseFingerprint: must not be null (use \"\" for none)");
        }
        return Sha256.of(canonical(baseFingerprint, params)).substring(0, 12);
    }

    static String canonical(String baseFingerprint, Map<String, ?> params) {
        StringBuilder sb = new StringBuilder("mi4j-trial-v1\n").append(baseFingerprint).append('\n');
        new TreeMap<String, Object>(params).forEach((k, v) -> sb.append(quote(k)).append('=').append(value(k, v)).append('\n'));
        return sb.toString();
    }

    private static String value(String name, Object v) {
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("parameter '" + name + "': non-finite value " + v);
            }
            return d == 0 ? "0" : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Long.toString(((Number) v).longValue());
        }
        throw new IllegalArgumentException("parameter '" + name + "': unsupported value type "
                + (v == null ? "null" : v.getClass().getName()));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
