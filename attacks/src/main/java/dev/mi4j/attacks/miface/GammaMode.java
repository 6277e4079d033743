package dev.mi4j.attacks.miface;

import java.util.Locale;

/**
 * How MI-Face reads its threshold gamma. See {@link MiFace} for why two readings exist.
 */
public enum GammaMode {
    /** Stop when p_label &gt;= gamma (for c = 1 - p: when c &lt;= 1 - gamma). The default. */
    CONFIDENCE,
    /** Stop when c(x) &lt;= gamma, exactly as Algorithm 1 prints it. */
    LITERAL_COST;

    /** Parses a config or CLI value: the enum name in any case, with '-' or '_'. */
    public static GammaMode parse(String value) {
        String v = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (GammaMode m : values()) {
            if (m.name().equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("gammaMode: unknown value '" + value
                + "' (expected one of confidence, literal_cost)");
    }
}
