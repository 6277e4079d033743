package dev.mi4j.attacks;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What every registered attack declares, whatever it attacks: its name, a one-line summary, its
 * parameters (keys, kinds, defaults, docs, which are sweepable) and the rules their values obey.
 * {@link AttackParams} validates against this, {@link AttackRegistry} keys attacks by it and
 * {@code mi4j attacks} lists it.
 *
 * <p>Why a parent and not one interface: attack families differ in what they consume and return.
 * Image inversion ({@link AttackSpec}) turns target labels into reconstructed images through a
 * {@link InversionAttack}; attribute inference
 * ({@link dev.mi4j.attacks.attribute.AttributeAttackSpec}) turns records with a hidden sensitive
 * attribute into inferred values. Forcing both through one {@code create} would make one of them
 * fake the other's inputs; sharing only the declarative part keeps names, validation and listing
 * in one place while each family keeps its own typed {@code create}.
 */
public interface AttackDeclaration {

    /** The kinds of attack mi4j runs, each with its own contract for making an attack. */
    enum Family {
        /** Model inversion of images: target labels in, one reconstructed image per label out ({@link AttackSpec}). */
        INVERSION("image inversion"),
        /** Attribute inference: records with a hidden sensitive attribute in, inferred values out. */
        ATTRIBUTE("attribute inference");

        private final String description;

        Family(String description) {
            this.description = description;
        }

        /** Words for listings, e.g. "attribute inference". */
        public String description() {
            return description;
        }
    }

    /** The name in configs and on the command line, lower case (e.g. "mi-face"). */
    String name();

    /** One line for {@code mi4j attacks}: what the attack does and where it comes from. */
    String summary();

    /** The family, which says which {@code create} makes the attack. */
    Family family();

    /** Every parameter, in the order they are listed and recorded. */
    List<AttackParameter> parameters();

    /**
     * Checks the values beyond their kinds (ranges, combinations).
     *
     * @throws IllegalArgumentException whose message starts with the offending key
     */
    void validate(AttackParams params);

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
        Set<String> keys = new LinkedHashSet<>();
        for (AttackParameter p : parameters()) {
            if (p.sweepable()) {
                keys.add(p.key());
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    /** The validated defaults. */
    default AttackParams defaults() {
        return AttackParams.defaults(this);
    }
}
