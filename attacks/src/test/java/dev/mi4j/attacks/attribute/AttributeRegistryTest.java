package dev.mi4j.attacks.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.AttackDeclaration;
import dev.mi4j.attacks.AttackRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attribute attacks are declared like the image ones, and neither family passes for the other. */
class AttributeRegistryTest {

    @Test
    void attributeAttacksAreRegisteredAndListedWithTheirFamily() {
        assertEquals(List.of(PriorBaseline.NAME, BlackBoxMap.NAME, WhiteBoxTree.NAME),
                AttackRegistry.names(AttackDeclaration.Family.ATTRIBUTE));
        assertTrue(AttackRegistry.declarations().stream().anyMatch(d -> d.name().equals("mi-face")));
        assertTrue(AttackRegistry.declarations().stream().anyMatch(d -> d.name().equals(WhiteBoxTree.NAME)));
        assertFalse(AttackRegistry.all().stream().anyMatch(d -> d.name().startsWith("attribute")),
                "all() stays the image-inversion attacks its callers run");
    }

    @Test
    void aFamilyMismatchIsOneLineNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttackRegistry.get(BlackBoxMap.NAME));
        assertTrue(e.getMessage().contains("attribute inference attack, not an image inversion one"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> AttackRegistry.attribute("mi-face"));
        assertTrue(f.getMessage().contains(PriorBaseline.NAME), f.getMessage());
    }

    @Test
    void parametersAreValidatedNamingTheKey() {
        var spec = AttackRegistry.attribute(BlackBoxMap.NAME);
        assertEquals("confidences", spec.defaults().getString("output"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec.defaults().with(Map.of("output", "scores")));
        assertTrue(e.getMessage().startsWith("output"), e.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> AttackRegistry.attribute(WhiteBoxTree.NAME).defaults().with(Map.of("depth", 3)));
        assertTrue(k.getMessage().startsWith("depth: not a parameter of attack attribute-whitebox"), k.getMessage());
        assertEquals(java.util.Set.of(AttributeKnowledge.Need.TREE),
                AttackRegistry.attribute(WhiteBoxTree.NAME).needs(AttackRegistry.attribute(WhiteBoxTree.NAME).defaults()));
    }

    @Test
    void imageParamsStillReportTheirSpecAndAttributeParamsRefuseTo() {
        assertEquals("mi-face", AttackRegistry.get("mi-face").defaults().spec().name());
        var p = AttackRegistry.attribute(PriorBaseline.NAME).defaults();
        assertEquals(PriorBaseline.NAME, p.declaration().name());
        assertThrows(IllegalStateException.class, p::spec);
    }
}
