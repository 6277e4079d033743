package dev.mi4j.attacks.attribute;

/**
 * An attribute-inference attack: for each target record, whose features are known but for the
 * sensitive one, and whose label is known (Fredrikson et al.: the attacker knows the person's
 * outcome, e.g. their warfarin dose or how they like their steak), it infers the sensitive value.
 */
public interface AttributeAttack {

    /**
     * Infers the sensitive value of every record.
     *
     * @param records one row per target over the model's schema, the sensitive column NaN (hidden;
     *                {@link AttributeTargets#hide} makes such rows); other columns complete unless the
     *                attack says it handles unknown values
     * @param labels  each record's known class
     * @throws IllegalArgumentException naming the record and column of a row the attack cannot use
     */
    AttributeInference infer(double[][] records, int[] labels);

    /** The attack's registry name. */
    String name();
}
