package dev.mi4j.attacks.miface;

import java.util.Locale;

/**
 * Starting image x0 of an inversion. MEAN and IMAGE take a prior tensor from the caller
 * (attacks never see datasets): see {@link MiFace#prior}.
 */
public enum Init {
    /** All-black image, as in Algorithm 1 of the paper. */
    ZEROS,
    /** Uniform noise in [0, 1), seeded per target by (seed, label). */
    UNIFORM,
    /** A prior image given by the caller, typically the training-set mean image. */
    MEAN,
    /** A given image (the same for all targets, or one per target). */
    IMAGE;

    /** Parses a config or CLI value: the enum name in any case. */
    public static Init parse(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        for (Init i : values()) {
            if (i.name().equals(v)) {
                return i;
            }
        }
        throw new IllegalArgumentException("init: unknown value '" + value
                + "' (expected one of zeros, uniform, mean, image)");
    }

    /** Whether this init needs a prior tensor. */
    public boolean needsPrior() {
        return this == MEAN || this == IMAGE;
    }
}
