package dev.mi4j.attacks;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An attack family as the {@link AttackRegistry} knows it: its name, its declared parameters
 * (keys, kinds, defaults, documentation, which are sweepable), the rules its values must obey,
 * the prior knowledge it needs, and how to make an attack from validated parameters.
 *
 * <p>Adding an attack: implement this in the attack's own package and add one line to
 * {@link AttackRegistry}. Configs then pick it by {@code attack: {name: ...}}, and sweeps,
 * {@code reproduce}, {@code invert} and the countermeasure study run it without other changes.
 */
public interface AttackSpec {

    /** The name in configs and on the command line, lower case (e.g. "mi-face"). */
    String name();

    /** One line for {@code mi4j attacks}: what the attack does and where it comes from. */
    String summary();

    /** Every parameter, in the order they are listed and recorded. */
    List<AttackParameter> parameters();

    /**
     * Checks the values beyond their kinds (ranges, combinations).
     *
     * @throws IllegalArgumentException whose message starts with the offending key
     */
    void validate(AttackParams params);

    /** Makes the attack for these (validated) parameters and inputs. */
    InversionAttack create(AttackParams params, AttackInputs inputs);

    /** The prior knowledge a run with these parameters needs (default: none). */
    default Set<AttackInputs.Need> needs(AttackParams params) {
        return Set.of();
    }

    /**
     * The key of the parameter that caps iterations, which a quick run or a black-box attacker's
     * own budget lowers; null when the attack has none.
     */
    default String iterationsKey() {
        return null;
    }

    /** The key of the step-size parameter, which a black-box attacker may set apart; null when none. */
    default String stepSizeKey() {
        return null;
    }

    /**
     * The names of one run of {@code target} with {@code overrides} (keys of this attack), whose
     * parameters are then {@code effective}: by default the target, then "key value" for each override.
     */
    default RunLabel label(String target, AttackParams effective, Map<String, Object> overrides) {
        if (overrides.isEmpty()) {
            return new RunLabel(target, "as configured", target);
        }
        StringBuilder parts = new StringBuilder();
        StringBuilder folder = new StringBuilder(target);
        overrides.forEach((k, v) -> {
            parts.append(parts.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
            folder.append('-').append(k).append('-').append(String.valueOf(v).replaceAll("[^A-Za-z0-9.]+", "_"));
        });
        return new RunLabel(target + ", " + parts, parts.toString(), folder.toString());
    }

    /** The parameter with this key, or null. */
    default AttackParameter parameter(String key) {
        for (AttackParameter p : parameters()) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        return null;
    }

    /** The keys a sweep may vary. */
    default Set<String> sweepableKeys() {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        for (AttackParameter p : parameters()) {
            if (p.sweepable()) {
                keys.add(p.key());
            }
        }
        return java.util.Collections.unmodifiableSet(keys);
    }

    /** The validated defaults. */
    default AttackParams defaults() {
        return AttackParams.defaults(this);
    }
}
