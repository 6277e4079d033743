package dev.mi4j.attacks;

import java.util.Map;
import java.util.Set;

/**
 * An image-inversion attack as the {@link AttackRegistry} knows it: its declaration (name,
 * parameters, rules: {@link AttackDeclaration}), the prior knowledge it needs, and how to make an
 * {@link InversionAttack} from validated parameters.
 *
 * <p>Adding an attack: implement this in the attack's own package and add one line to
 * {@link AttackRegistry}. Configs then pick it by {@code attack: {name: ...}}, and sweeps,
 * {@code reproduce}, {@code invert} and the countermeasure study run it without other changes.
 */
public interface AttackSpec extends AttackDeclaration {

    /** Image inversion. */
    @Override
    default Family family() {
        return Family.INVERSION;
    }

    /** Makes the attack for these (validated) parameters and inputs. */
    InversionAttack create(AttackParams params, AttackInputs inputs);

    /** The prior knowledge a run with these parameters needs (default: none). */
    default Set<AttackInputs.Need> needs(AttackParams params) {
        return Set.of();
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
}
