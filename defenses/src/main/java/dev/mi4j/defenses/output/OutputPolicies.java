package dev.mi4j.defenses.output;

import java.util.Locale;

/** Factory for output policies from config and command-line strings. */
public final class OutputPolicies {

    /** Seed of "noise:sigma" when the spec gives none. */
    public static final long DEFAULT_NOISE_SEED = 0L;

    private static final String FORMS =
            "identity, round:<r>, topk:<k>, label, noise:<sigma>[:<seed>]";

    private OutputPolicies() {
    }

    public static OutputPolicy identity() {
        return IdentityPolicy.INSTANCE;
    }

    /**
     * Parses a policy spec: {@code identity} (or {@code none}), {@code round:0.01},
     * {@code topk:1}, {@code label} (or {@code label-only}), {@code noise:0.05} or
     * {@code noise:0.05:42} (sigma, seed). Case and surrounding blanks are ignored.
     *
     * @throws IllegalArgumentException with a message starting with "policy" for a malformed
     *         spec or an out-of-range parameter
     */
    public static OutputPolicy parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("policy: empty spec (expected one of " + FORMS + ")");
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String[] parts = s.split(":", -1);
        String kind = parts[0].trim();
        try {
            switch (kind) {
                case "identity", "none" -> {
                    arity(spec, parts, 1, 1);
                    return identity();
                }
                case "round", "rounding" -> {
                    arity(spec, parts, 2, 2);
                    return new Rounding(number(spec, "r", parts[1]));
                }
                case "topk", "top-k", "top_k" -> {
                    arity(spec, parts, 2, 2);
                    return new TopK(integer(spec, "k", parts[1]));
                }
                case "label", "label-only", "label_only", "labelonly" -> {
                    arity(spec, parts, 1, 1);
                    return LabelOnly.INSTANCE;
                }
                case "noise", "gaussian" -> {
                    arity(spec, parts, 2, 3);
                    double sigma = number(spec, "sigma", parts[1]);
                    long seed = parts.length == 3 ? longValue(spec, "seed", parts[2]) : DEFAULT_NOISE_SEED;
                    return new GaussianNoise(sigma, seed);
                }
                default -> throw new IllegalArgumentException("policy: unknown kind '" + kind
                        + "' in '" + spec + "' (expected one of " + FORMS + ")");
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("policy")) {
                throw e;
            }
            // The policy constructors name the parameter; prefix so callers see one form.
            throw new IllegalArgumentException("policy '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static void arity(String spec, String[] parts, int min, int max) {
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException("policy '" + spec + "': expected "
                    + (max == 1 ? "no parameter" : (max - 1) + " parameter(s) after ':'")
                    + " (forms: " + FORMS + ")");
        }
    }

    private static double number(String spec, String name, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("policy '" + spec + "': " + name
                    + " must be a number, got '" + text + "'");
        }
    }

    private static int integer(String spec, String name, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("policy '" + spec + "': " + name
                    + " must be an integer, got '" + text + "'");
        }
    }

    private static long longValue(String spec, String name, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("policy '" + spec + "': " + name
                    + " must be an integer, got '" + text + "'");
        }
    }
}
