package dev.mi4j.attacks;

import dev.mi4j.attacks.attribute.AttributeAttackSpec;
import dev.mi4j.attacks.attribute.BlackBoxMap;
import dev.mi4j.attacks.attribute.PriorBaseline;
import dev.mi4j.attacks.attribute.WhiteBoxTree;
import dev.mi4j.attacks.gmi.GmiSpec;
import dev.mi4j.attacks.miface.MiFaceSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The attacks mi4j knows, by name, of every family ({@link AttackDeclaration.Family}). One line
 * per attack below; everything else (configs, sweeps, {@code reproduce}, {@code invert}, the
 * countermeasure study, the attribute-inference study, {@code mi4j attacks}) reaches attacks only
 * through here. {@link #get} and {@link #all} give the image-inversion attacks, the family those
 * callers run; {@link #attribute} the attribute-inference ones; {@link #declarations} every one.
 */
public final class AttackRegistry {

    private static final Map<String, AttackDeclaration> ATTACKS = new LinkedHashMap<>();

    static {
        register(new MiFaceSpec());
        register(new PriorBaseline.Spec());
        register(new BlackBoxMap.Spec());
        register(new WhiteBoxTree.Spec());
        register(new GmiSpec());
    }

    private AttackRegistry() {
    }

    private static void register(AttackDeclaration spec) {
        if (ATTACKS.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("attack " + spec.name() + " registered twice");
        }
    }

    /** The name of the attack a config without {@code attack.name} runs. */
    public static String defaultName() {
        return MiFaceSpec.NAME;
    }

    /**
     * The attack called {@code name} (case-insensitive), of any family.
     *
     * @throws IllegalArgumentException naming the unknown attack and listing the known ones
     */
    public static AttackDeclaration declaration(String name) {
        AttackDeclaration s = name == null ? null : ATTACKS.get(name.trim().toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("unknown attack '" + name + "' (known: " + String.join(", ", ATTACKS.keySet()) + ")");
        }
        return s;
    }

    /**
     * The image-inversion attack called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming an unknown attack, or one of another family
     */
    public static AttackSpec get(String name) {
        return ofFamily(name, AttackSpec.class, AttackDeclaration.Family.INVERSION);
    }

    /**
     * The attribute-inference attack called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming an unknown attack, or one of another family
     */
    public static AttributeAttackSpec attribute(String name) {
        return ofFamily(name, AttributeAttackSpec.class, AttackDeclaration.Family.ATTRIBUTE);
    }

    private static <T extends AttackDeclaration> T ofFamily(String name, Class<T> type, AttackDeclaration.Family family) {
        AttackDeclaration d = declaration(name);
        if (!type.isInstance(d)) {
            throw new IllegalArgumentException("attack '" + name + "' is an " + d.family().description()
                    + " attack, not an " + family.description() + " one (" + family.description() + " attacks: "
                    + String.join(", ", names(family)) + ")");
        }
        return type.cast(d);
    }

    /** Every registered image-inversion attack, in registration order. */
    public static Collection<AttackSpec> all() {
        List<AttackSpec> l = new ArrayList<>();
        for (AttackDeclaration d : ATTACKS.values()) {
            if (d instanceof AttackSpec s) {
                l.add(s);
            }
        }
        return Collections.unmodifiableList(l);
    }

    /** Every registered attack of every family, in registration order. */
    public static Collection<AttackDeclaration> declarations() {
        return Collections.unmodifiableCollection(ATTACKS.values());
    }

    /** The names of the attacks of {@code family}, in registration order. */
    public static List<String> names(AttackDeclaration.Family family) {
        List<String> l = new ArrayList<>();
        for (AttackDeclaration d : ATTACKS.values()) {
            if (d.family() == family) {
                l.add(d.name());
            }
        }
        return l;
    }
}
