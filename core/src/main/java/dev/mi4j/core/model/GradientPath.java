package dev.mi4j.core.model;

import java.util.Locale;

/**
 * Which engine computes a {@link NetworkClassifier}'s input gradients.
 *
 * <ul>
 *   <li>{@link #FAST}: mi4j's own inference-mode backprop for the layers it knows (dense, softmax
 *       output, 2-D convolution, max pooling, dropout, activation) on a
 *       {@code MultiLayerNetwork}; input epsilons only, reused work arrays. It refuses any other
 *       network with one line that names the layer.</li>
 *   <li>{@link #GENERAL}: DL4J's own layer and vertex backprop, run in inference mode, for any
 *       {@code MultiLayerNetwork} or {@code ComputationGraph} ending in a softmax; slower (DL4J
 *       also computes the weight gradients, then they are dropped).</li>
 *   <li>{@link #AUTO}: FAST where it knows every layer, else GENERAL.</li>
 * </ul>
 * Both give the same gradient up to floating-point rounding (see NetworkClassifierPathsTest).
 */
public enum GradientPath {
    AUTO, FAST, GENERAL;

    /** Parses a config or command-line value, in any case: auto, fast or general. */
    public static GradientPath parse(String value) {
        if (value != null) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            for (GradientPath p : values()) {
                if (p.name().equals(v)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("gradient: unknown value '" + value + "' (expected auto, fast or general)");
    }

    /** Lower-case name, as configs and the command line write it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
