package dev.mi4j.defenses.training;

import dev.mi4j.defenses.dp.DpSgd;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The training defenses by name, and the parser of their specs. A spec is
 * {@code name[:value][,key=value...]} or {@code name:key=value,...}: {@code dp:epsilon=4,clip=1},
 * {@code ls:-0.05} (a bare first value stands for the defense's positional parameter),
 * {@code l2:1e-3}. Names and keys are case-insensitive; an unknown name, an unknown key, a missing
 * required key or a value out of range is refused with one line that names it. Adding a defense:
 * its class and one line in {@link #TYPES}.
 */
public final class TrainingDefenses {

    /** Every defense, in the order help lists them. */
    private static final List<DefenseType> TYPES = List.of(DpSgd.TYPE, LabelSmoothing.TYPE, WeightDecay.TYPE);

    private TrainingDefenses() {
    }

    /** The registered defenses. */
    public static List<DefenseType> types() {
        return TYPES;
    }

    /** The registered defense called {@code name}, if any. */
    public static Optional<DefenseType> type(String name) {
        return find(TYPES, name);
    }

    /**
     * Parses a defense spec.
     *
     * @throws IllegalArgumentException (one line, starting with "defense") for an empty or
     *         malformed spec, an unknown name or key, or a bad value
     */
    public static TrainingDefense parse(String spec) {
        return parse(spec, TYPES);
    }

    /** As {@link #parse}, but null, blank and "none" mean no defense. */
    public static Optional<TrainingDefense> parseOptional(String spec) {
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        return Optional.of(parse(spec));
    }

    /** Makes the defense {@code name} from already-typed values (configs given as maps). */
    public static TrainingDefense create(String name, Map<String, ?> values) {
        DefenseType t = type(name).orElseThrow(() -> unknownName(name, "", TYPES));
        return make(t, values, name);
    }

    static TrainingDefense parse(String spec, List<DefenseType> types) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("defense: empty spec (expected one of " + usages(types) + ")");
        }
        String s = spec.trim();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).trim();
        DefenseType t = find(types, name).orElseThrow(() -> unknownName(name, spec, types));
        Map<String, String> given = new LinkedHashMap<>();
        if (colon >= 0) {
            String[] items = s.substring(colon + 1).split(",", -1);
            for (int i = 0; i < items.length; i++) {
                String item = items[i].trim();
                int eq = item.indexOf('=');
                String key;
                String value;
                if (eq < 0) {
                    if (i > 0 || t.positional() == null || item.isEmpty()) {
                        throw new IllegalArgumentException("defense '" + spec + "': expected key=value at '" + item
                                + "' (form: " + t.usage() + ")");
                    }
                    key = t.positional();
                    value = item;
                } else {
                    key = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    value = item.substring(eq + 1).trim();
                }
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("defense '" + spec + "': " + key + " has no value");
                }
                if (given.put(key, value) != null) {
                    throw new IllegalArgumentException("defense '" + spec + "': " + key + " given twice");
                }
            }
        }
        return make(t, given, spec);
    }

    private static TrainingDefense make(DefenseType t, Map<String, ?> given, String spec) {
        try {
            return t.factory().apply(DefenseParams.resolve(t.name(), t.params(), given));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("defense '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static Optional<DefenseType> find(List<DefenseType> types, String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return types.stream().filter(t -> t.name().equals(n)).findFirst();
    }

    private static IllegalArgumentException unknownName(String name, String spec, List<DefenseType> types) {
        return new IllegalArgumentException("defense: unknown name '" + name + "'"
                + (spec.isEmpty() ? "" : " in '" + spec + "'") + " (expected one of " + usages(types) + ")");
    }

    private static String usages(List<DefenseType> types) {
        return types.isEmpty() ? "none registered" : types.stream().map(DefenseType::usage).collect(Collectors.joining(", "));
    }
}
