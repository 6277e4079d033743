package dev.mi4j.core.testing;

import java.util.function.Supplier;

/**
 * Runs code with NetworkClassifier's convolution-path settings ({@code mi4j.conv.layout},
 * {@code mi4j.conv.forward}, {@code mi4j.conv.backward}) set, restoring them afterwards: the
 * classifier reads them when it is built (BackpropOptions.fromSystemProperties), so tests can
 * build one per path.
 */
public final class ConvPaths {

    private static final String[] KEYS = {"mi4j.conv.layout", "mi4j.conv.forward", "mi4j.conv.backward"};

    private ConvPaths() {
    }

    public static <T> T with(String layout, String forward, String backward, Supplier<T> body) {
        String[] values = {layout, forward, backward};
        String[] saved = new String[KEYS.length];
        for (int i = 0; i < KEYS.length; i++) {
            saved[i] = System.getProperty(KEYS[i]);
            System.setProperty(KEYS[i], values[i]);
        }
        try {
            return body.get();
        } finally {
            for (int i = 0; i < KEYS.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(KEYS[i]);
                } else {
                    System.setProperty(KEYS[i], saved[i]);
                }
            }
        }
    }
}
