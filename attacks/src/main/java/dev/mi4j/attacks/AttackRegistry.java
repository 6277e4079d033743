package dev.mi4j.attacks;

import dev.mi4j.attacks.gmi.GmiSpec;
import dev.mi4j.attacks.miface.MiFaceSpec;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The attacks mi4j knows, by name. One line per attack family below; everything else (configs,
 * sweeps, {@code reproduce}, {@code invert}, the countermeasure study, {@code mi4j attacks})
 * reaches attacks only through here.
 */
public final class AttackRegistry {

    private static final Map<String, AttackSpec> ATTACKS = new LinkedHashMap<>();

    static {
        register(new MiFaceSpec());
        register(new GmiSpec());
    }

    private AttackRegistry() {
    }

    private static void register(AttackSpec spec) {
        if (ATTACKS.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("attack " + spec.name() + " registered twice");
        }
    }

    /** The name of the attack a config without {@code attack.name} runs. */
    public static String defaultName() {
        return MiFaceSpec.NAME;
    }

    /**
     * The attack called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the unknown attack and listing the known ones
     */
    public static AttackSpec get(String name) {
        AttackSpec s = name == null ? null : ATTACKS.get(name.trim().toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("unknown attack '" + name + "' (known: " + String.join(", ", ATTACKS.keySet()) + ")");
        }
        return s;
    }

    /** Every registered attack, in registration order. */
    public static Collection<AttackSpec> all() {
        return Collections.unmodifiableCollection(ATTACKS.values());
    }
}
