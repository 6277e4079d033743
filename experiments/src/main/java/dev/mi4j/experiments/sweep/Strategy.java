package dev.mi4j.experiments.sweep;

import java.util.Locale;

/** How a sweep picks its trials. */
public enum Strategy {
    /** Every combination of the parameters' grid values (the cartesian product). */
    GRID,
    /** {@code count} distinct combinations drawn with a seeded random generator. */
    RANDOM;

    /** Parses {@code grid} or {@code random} (any case). */
    public static Strategy parse(String text) {
        if (text != null) {
            for (Strategy s : values()) {
                if (s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("strategy must be 'grid' or 'random', got '" + text + "'");
    }

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
