package dev.mi4j.attacks.gmi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParameter;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackRegistry;
import dev.mi4j.attacks.AttackSpec;
import dev.mi4j.attacks.InversionResult;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.testing.LinearSoftmaxModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;

/** GMI in the registry: GMI's values as defaults, every value validated up front naming its key, the GAN required. */
class GmiSpecTest {

    private final AttackSpec spec = AttackRegistry.get("gmi");

    @Test
    void registeredWithGmisSettings() {
        assertEquals("gmi", spec.name());
        GmiParams d = GmiSpec.toGmiParams(spec.defaults());
        assertEquals(GmiParams.defaults(), d);
        assertEquals(1500, d.iterations());
        assertEquals(100.0, d.lambda());
        assertEquals(0.02, d.lr());
        assertEquals(0.9, d.momentum());
        assertEquals(1.0, d.clip());
        assertEquals(5, d.restarts());
        assertEquals(GmiParams.Reduction.MEAN, d.reduction());
        assertEquals(Set.of(AttackInputs.Need.GENERATOR), spec.needs(spec.defaults()));
        assertEquals(List.of("iterations", "lambda", "priorWeight", "lr", "momentum", "clip", "restarts", "reduction", "seed"),
                spec.parameters().stream().map(AttackParameter::key).toList());
        assertTrue(spec.sweepableKeys().containsAll(List.of("iterations", "lambda", "lr", "restarts", "priorWeight")));
        for (AttackParameter p : spec.parameters()) {
            assertFalse(p.doc().isBlank(), p.key() + " is documented");
        }
        assertEquals(300, spec.defaults().withIterationsAtMost(300).iterations());
        assertEquals(0.5, spec.defaults().withStepSize(0.5).getDouble("lr"));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        AttackParams d = spec.defaults();
        assertStartsWith("iterations: must be >= 1", () -> d.with(Map.of("iterations", 0)));
        assertStartsWith("iterations: expected integer", () -> d.with(Map.of("iterations", 1.5)));
        assertStartsWith("lambda: must be finite and >= 0", () -> d.with(Map.of("lambda", -1)));
        assertStartsWith("lambda: lambda and priorWeight are both 0", () -> d.with(Map.of("lambda", 0, "priorWeight", 0)));
        assertStartsWith("priorWeight: must be finite and >= 0", () -> d.with(Map.of("priorWeight", Double.NaN)));
        assertStartsWith("lr: must be finite and > 0", () -> d.with(Map.of("lr", 0)));
        assertStartsWith("momentum: must be in [0, 1)", () -> d.with(Map.of("momentum", 1)));
        assertStartsWith("clip: must be finite and > 0", () -> d.with(Map.of("clip", -0.5)));
        assertStartsWith("restarts: must be >= 1", () -> d.with(Map.of("restarts", 0)));
        assertStartsWith("reduction: unknown value 'median'", () -> d.with(Map.of("reduction", "median")));
        assertStartsWith("lamda: not a parameter of attack gmi", () -> d.with(Map.of("lamda", 1)));
        // Accepted: YAML integers for doubles, case-insensitive choices.
        AttackParams p = d.with(Map.of("lambda", 50, "reduction", "SUM", "iterations", "20"));
        assertEquals(50.0, p.get("lambda"));
        assertEquals("sum", p.get("reduction"));
        assertEquals(20, p.iterations());
    }

    @Test
    void needsAGanThatDrawsTheModelsImages() {
        ImageShape shape = new ImageShape(1, 6, 5);
        LinearSoftmaxModel model = new LinearSoftmaxModel(shape, 4, 3.0, 3);
        assertStartsWith("generator: attack gmi needs a GAN prior", () -> spec.create(spec.defaults(), AttackInputs.of(model)));
        assertStartsWith("generator: draws images of shape 1x16x16 but the model takes 1x6x5", () -> spec.create(spec.defaults(),
                AttackInputs.of(model).withGenerator(GmiFixtures.gan(DataType.FLOAT))));
        // Through the registry, the same attack as the constructor.
        var target = GmiFixtures.target(DataType.FLOAT);
        var gan = GmiFixtures.gan(DataType.FLOAT);
        AttackParams p = spec.defaults().with(Map.of("iterations", 3, "restarts", 2));
        InversionResult a = spec.create(p, AttackInputs.of(target).withGenerator(gan)).invert(new int[] {0, 1});
        InversionResult b = new Gmi(target, gan, GmiSpec.toGmiParams(p)).invert(new int[] {0, 1});
        assertEquals(a.reconstructions().get(1).image(), b.reconstructions().get(1).image());
        assertEquals(a.params(), b.params());
        assertStartsWith("targets: label 5 at position 0 is out of range", () -> new Gmi(target, gan, GmiParams.defaults())
                .invert(new int[] {5}));
        assertStartsWith("targets: label 1 appears more than once", () -> new Gmi(target, gan, GmiParams.defaults())
                .invert(new int[] {1, 1}));
    }

    private static void assertStartsWith(String prefix, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(prefix), "expected '" + prefix + "...', got: " + ex.getMessage());
    }
}
