package dev.mi4j.experiments.audit;

import dev.mi4j.core.Mi4jException;
import java.util.Locale;

/** Privacy risk levels of the audit, in increasing order. */
public enum Risk {
    LOW, MEDIUM, HIGH;

    /** "low", "medium" or "high" (any case), else a one-line error naming {@code option}. */
    public static Risk parse(String value, String option) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new Mi4jException(option + ": expected low, medium or high, got '" + value + "'");
        }
    }

    public boolean atLeast(Risk other) {
        return compareTo(other) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
