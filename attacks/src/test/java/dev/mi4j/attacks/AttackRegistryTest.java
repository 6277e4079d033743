package dev.mi4j.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.miface.MiFace;
import dev.mi4j.attacks.miface.MiFaceParams;
import dev.mi4j.attacks.miface.MiFaceSpec;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.testing.LinearSoftmaxModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttackRegistryTest {

    @Test
    void miFaceIsRegisteredWithThePapersDefaults() {
        AttackSpec spec = AttackRegistry.get("MI-Face");
        assertEquals("mi-face", spec.name());
        assertEquals(AttackRegistry.defaultName(), spec.name());
        assertEquals(MiFaceParams.paperDefaults(), MiFaceSpec.toMiFaceParams(spec.defaults()));
        assertEquals("identity", spec.defaults().getString("process"));
        assertTrue(spec.sweepableKeys().containsAll(java.util.List.of("alpha", "beta", "gamma", "gammaMode", "lambda",
                "objective", "init", "seed", "process")));
        assertFalse(spec.sweepableKeys().contains("snapshotEvery"));
        for (AttackParameter p : spec.parameters()) {
            assertFalse(p.doc().isBlank(), p.key() + " is documented");
        }
    }

    @Test
    void unknownAttacksAreNamedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttackRegistry.get("gmi-x"));
        assertTrue(e.getMessage().contains("'gmi-x'") && e.getMessage().contains("mi-face"), e.getMessage());
    }

    @Test
    void valuesAreCoercedAndValidatedNamingTheKey() {
        AttackParams d = AttackRegistry.get("mi-face").defaults();
        // YAML gives integers, doubles and strings; the command line gives strings.
        AttackParams p = d.with(Map.of("alpha", "20", "lambda", 1, "objective", "NEG-LOG-P", "init", "Uniform", "seed", 7));
        assertEquals(20, p.get("alpha"));
        assertEquals(1.0, p.get("lambda"));
        assertEquals("neg_log_p", p.get("objective"));
        assertEquals("uniform", p.get("init"));
        assertEquals(7L, p.get("seed"));
        assertEquals(d, d.with(Map.of()));

        assertStartsWith("lamda: not a parameter of attack mi-face (known: ", () -> d.with(Map.of("lamda", 1)));
        assertStartsWith("alpha: expected integer, got '2.5'", () -> d.with(Map.of("alpha", 2.5)));
        assertStartsWith("alpha: expected integer, got 'many'", () -> d.with(Map.of("alpha", "many")));
        assertStartsWith("alpha must be >= 1", () -> d.with(Map.of("alpha", 0)));
        assertStartsWith("objective: unknown value 'cos'", () -> d.with(Map.of("objective", "cos")));
        assertStartsWith("process: 'blur': ", () -> d.with(Map.of("process", "blur")));
        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("beta", null);
        assertStartsWith("beta: expected integer, got nothing", () -> d.with(nulls));
    }

    @Test
    void iterationCapAndStepSizeGoThroughTheDeclaredKeys() {
        AttackParams d = AttackRegistry.get("mi-face").defaults();
        assertEquals(300, d.withIterationsAtMost(300).iterations());
        assertEquals(5000, d.withIterationsAtMost(9000).iterations());
        assertEquals(1.0, d.withStepSize(1.0).getDouble("lambda"));
        assertEquals(0L, d.seedOr(5));
    }

    @Test
    void theRegistryMakesTheSameAttackAsTheConstructor() {
        ImageShape shape = new ImageShape(1, 6, 5);
        LinearSoftmaxModel model = new LinearSoftmaxModel(shape, 4, 3.0, 3);
        AttackParams p = AttackRegistry.get("mi-face").defaults().with(Map.of("alpha", 30, "lambda", 1.0));
        InversionAttack viaRegistry = p.spec().create(p, AttackInputs.of(model).withRecordTrajectory(true));
        InversionResult a = viaRegistry.invert(new int[] {0, 2});
        InversionResult b = new MiFace(model, MiFaceSpec.toMiFaceParams(p).withRecordTrajectory(true)).invert(new int[] {0, 2});
        assertEquals(b.params(), a.params());
        for (int t = 0; t < 2; t++) {
            assertEquals(b.reconstructions().get(t).image(), a.reconstructions().get(t).image());
            assertEquals(b.reconstructions().get(t).iterations(), a.reconstructions().get(t).iterations());
            assertTrue(a.reconstructions().get(t).costTrajectory().length > 1);
        }
    }

    @Test
    void miFaceAsksForWhatItNeeds() {
        AttackSpec s = AttackRegistry.get("mi-face");
        assertEquals(java.util.Set.of(), s.needs(s.defaults()));
        assertEquals(java.util.Set.of(AttackInputs.Need.MEAN_IMAGE, AttackInputs.Need.AUTOENCODER),
                s.needs(s.defaults().with(Map.of("init", "mean", "process", "dae"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.create(
                s.defaults().with(Map.of("init", "mean")), AttackInputs.of(new LinearSoftmaxModel(new ImageShape(1, 2, 2), 2, 1.0, 1))));
        assertTrue(e.getMessage().startsWith("init: MEAN needs a prior image"), e.getMessage());
        RunLabel dae = s.label("dae", s.defaults().with(Map.of("process", "dae", "lambda", 100)),
                new LinkedHashMap<>(Map.of("process", "dae")));
        assertEquals("dae + process dae", dae.label());
        assertEquals("dae-process-dae", dae.folder());
    }

    private static void assertStartsWith(String prefix, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), "expected '" + prefix + "...', got: " + e.getMessage());
    }
}
