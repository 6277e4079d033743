package dev.mi4j.attacks.attribute;

import dev.mi4j.attacks.AttackDeclaration;
import dev.mi4j.attacks.AttackParams;
import java.util.Set;

/**
 * An attribute-inference attack as the {@link dev.mi4j.attacks.AttackRegistry} knows it: declared
 * like every attack ({@link AttackDeclaration}: name, validated parameters, docs, listed by
 * {@code mi4j attacks}), made from the attacker's {@link AttributeKnowledge} rather than from an
 * image classifier, because what it consumes (records with a hidden sensitive column and their
 * labels) and returns (one inferred value per record) have nothing of an image inversion's shape.
 */
public interface AttributeAttackSpec extends AttackDeclaration {

    @Override
    default Family family() {
        return Family.ATTRIBUTE;
    }

    /**
     * Makes the attack for these (validated) parameters and this knowledge.
     *
     * @throws IllegalArgumentException when the knowledge lacks what {@link #needs} says (naming it)
     */
    AttributeAttack create(AttackParams params, AttributeKnowledge knowledge);

    /**
     * Whether the attack queries the model. One that does not (the prior baseline, the white-box
     * tree estimator, which reads the tree) gives the same answers whatever the API releases, so a
     * study runs it once per model rather than once per output countermeasure.
     */
    default boolean queriesModel() {
        return true;
    }

    /** What the attacker must know beyond the model's answers and the marginal prior (default: nothing). */
    default Set<AttributeKnowledge.Need> needs(AttackParams params) {
        return Set.of();
    }
}
