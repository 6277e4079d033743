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

    /** What the attacker must know beyond the model's answers and the marginal prior (default: nothing). */
    default Set<AttributeKnowledge.Need> needs(AttackParams params) {
        return Set.of();
    }
}
