package dev.mi4j.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.AttackParams;
import dev.mi4j.core.Mi4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private static final String VALID = """
            name: t1
            dataset:
              name: att-faces
            targets:
              - architecture: softmax
            attack:
              alpha: 50
              lambda: 0.1
            """;

    @Test
    void readsTheShippedPaperConfig() {
        Path shipped = Path.of("..", "configs", "fredrikson2015.yaml");
        ExperimentConfig c = ConfigLoader.load(shipped);
        assertEquals("fredrikson2015", c.name());
        assertEquals(3, c.targets().size());
        assertEquals(List.of(Map.of()), c.variants(c.targets().get(0)));
        assertEquals("dae", c.targets().get(2).architecture());
        assertEquals(List.of(Map.of(), Map.of("process", "dae", "lambda", 100)), c.variants(c.targets().get(2)));
        AttackParams p = c.attack().params();
        assertEquals("mi-face", p.spec().name());
        assertEquals(5000, p.getInt("alpha"));
        assertEquals(100, p.getInt("beta"));
        assertEquals(0.99, p.getDouble("gamma"));
        assertEquals(0.1, p.getDouble("lambda"));
        assertEquals(new SplitSpec(7, null, 42L), c.split());
    }

    @Test
    void noSplitMeansTheDatasetsDefaultAndAPartialSplitIsCompletedFromIt() throws Exception {
        SplitSpec att = ConfigLoader.load(write(VALID)).split();
        assertEquals(new SplitSpec(7, null, 42L), att, "AT&T: the paper's 7/3");
        // As before fractions existed: sweeps hash this into their trial ids, so AT&T runs still resume.
        assertEquals("{\"trainPerIdentity\":7,\"seed\":42}", dev.mi4j.core.io.Json.mapper().writer()
                .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(att));
        ExperimentConfig lfw = ConfigLoader.load(write(VALID.replace("att-faces", "lfw-min70")));
        assertEquals(new SplitSpec(null, 0.7, 42L), lfw.split());
        assertEquals(Map.of("split.trainFraction", 0.7, "split.seed", 42L), lfw.split().asProvenance());
        assertEquals(lfw.split(), SplitSpec.fromProvenance(lfw.split().asProvenance()));
        ExperimentConfig seedOnly = ConfigLoader.load(write(VALID.replace("att-faces", "yale") + "split:\n  seed: 7\n"));
        assertEquals(new SplitSpec(null, 0.7, 7L), seedOnly.split());
        ExperimentConfig countOnly = ConfigLoader.load(write(VALID.replace("att-faces", "lfw-min70")
                + "split:\n  trainPerIdentity: 50\n"));
        assertEquals(new SplitSpec(50, null, 42L), countOnly.split());
    }

    @Test
    void aSplitWithBothCountAndFractionOrAnUnknownDatasetIsOneLine() throws Exception {
        Path both = write(VALID + "split:\n  trainPerIdentity: 5\n  trainFraction: 0.5\n");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(both));
        assertTrue(e.getMessage().startsWith(both.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("give trainPerIdentity or trainFraction, not both"), e.getMessage());
        Path fraction = write(VALID + "split:\n  trainFraction: 1.5\n");
        Mi4jException f = assertThrows(Mi4jException.class, () -> ConfigLoader.load(fraction));
        assertTrue(f.getMessage().contains("split.trainFraction must be > 0 and < 1, got 1.5"), f.getMessage());
        Path unknown = write(VALID.replace("att-faces", "celeba"));
        Mi4jException u = assertThrows(Mi4jException.class, () -> ConfigLoader.load(unknown));
        assertTrue(u.getMessage().contains("unknown dataset 'celeba'"), u.getMessage());
        assertFalse(u.getMessage().contains("\n"), u.getMessage());
    }

    @Test
    void defaultsFillWhatIsMissing() throws Exception {
        ExperimentConfig c = ConfigLoader.load(write(VALID));
        assertEquals("runs/t1", c.output());
        assertEquals("eval", c.evaluator().architecture());
        assertEquals(50, c.attack().params().getInt("alpha"));
        assertEquals(100, c.attack().params().getInt("beta"));
    }

    @Test
    void unknownKeyNamesTheKeyAndTheLine() throws Exception {
        Path p = write(VALID + "  alpah: 3\n");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().contains("line 9:"), e.getMessage());
        assertTrue(e.getMessage().contains("alpah"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void wrongTypeNamesTheKey() throws Exception {
        Path p = write(VALID.replace("alpha: 50", "alpha: many"));
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().contains("attack.alpha"), e.getMessage());
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
        assertTrue(e.getMessage().contains("line 7:"), e.getMessage());
    }

    @Test
    void negativeAlphaIsRejectedNamingTheParameter() throws Exception {
        // Range checks run at load time, so the error names the file and line as well as the parameter.
        Path p = write(VALID.replace("alpha: 50", "alpha: -5"));
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().startsWith(p + " line 7: attack.alpha must be >= 1"), e.getMessage());
    }

    @Test
    void badProcessSpecsAreRefusedAtLoadNamingTheField() throws Exception {
        Path p = write(VALID.replace("  lambda: 0.1", "  lambda: 0.1\n  process: blur"));
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("attack.process: 'blur'"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown step"), e.getMessage());

        Path q = write(VALID.replace("  - architecture: softmax", "  - architecture: dae\n    variants: [{}, {process: 'dae:amount=-1'}]"));
        e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(q));
        assertTrue(e.getMessage().contains("targets[0].variants[1].process: 'dae:amount=-1': amount"), e.getMessage());
        assertTrue(e.getMessage().startsWith(q.toString()), e.getMessage());

        Path q2 = write(VALID.replace("  - architecture: softmax", "  - architecture: dae\n    variants: [{lambda: -1}]"));
        e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(q2));
        assertTrue(e.getMessage().contains("targets[0].variants[0].lambda must be"), e.getMessage());

        Path q3 = write(VALID.replace("  - architecture: softmax", "  - architecture: dae\n    variants: [{lamda: 1}]"));
        e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(q3));
        assertTrue(e.getMessage().contains("'lamda' is not a parameter of attack mi-face"), e.getMessage());

        Path r = write(VALID.replace("  lambda: 0.1", "  lambda: 0.1\n  process: dae"));
        e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(r));
        assertTrue(e.getMessage().contains("attack: mi-face {") && e.getMessage().contains("process=dae")
                && e.getMessage().contains("} needs the autoencoder of a dae target"), e.getMessage());
        assertTrue(e.getMessage().contains("softmax"), e.getMessage());

        Path ok = write(VALID.replace("  - architecture: softmax", "  - architecture: dae\n    variants: [{}, {process: 'dae:h=5+sharpen', lambda: 10}]"));
        ExperimentConfig c = ConfigLoader.load(ok);
        assertEquals("identity", c.attack().params().getString("process"));
        Map<String, Object> second = c.variants(c.targets().get(0)).get(1);
        assertEquals("dae:h=5+sharpen", c.attack().params(second).getString("process"));
        assertEquals(10.0, c.attack().params(second).getDouble("lambda"));
    }

    @Test
    void unknownAttackNameIsOneLineWithFileLineAndKey() throws Exception {
        Path p = write(VALID.replace("  alpha: 50", "  name: mi-fase\n  alpha: 50"));
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().startsWith(p + " line 7: attack.name: unknown attack 'mi-fase' (known: mi-face"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void unknownAttackKeyIsOneLineWithFileLineAndKey() throws Exception {
        Path p = write(VALID.replace("  lambda: 0.1", "  lamda: 0.1"));
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().startsWith(p + " line 8: attack.lamda: not a parameter of attack mi-face (known: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("lambda"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void sweepKeysAreTheAttacksSweepableOnes() throws Exception {
        Path p = write(VALID + "sweep:\n  parameters:\n    snapshotEvery: [1, 2]\n");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().contains("sweep.parameters: 'snapshotEvery' is not a sweepable parameter of attack mi-face"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith(p + " line 11:"), e.getMessage());
    }

    @Test
    void targetsTakeATrainingDefenseCheckedAtLoad() throws Exception {
        ExperimentConfig c = ConfigLoader.load(write(VALID.replace("  - architecture: softmax",
                "  - architecture: softmax\n    defense: 'ls:-0.05'")));
        assertEquals("ls:factor=-0.05", c.targets().get(0).defense());
        assertEquals("ls", c.targets().get(0).trainingDefense().orElseThrow().name());

        Path bad = write(VALID.replace("  - architecture: softmax", "  - architecture: softmax\n    defense: 'dq:epsilon=4'"));
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("defense: ")
                && e.getMessage().contains("dq"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());

        Path badKey = write(VALID.replace("  - architecture: softmax", "  - architecture: softmax\n    defense: 'dp:epsilon=4,clipp=1'"));
        e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(badKey));
        assertTrue(e.getMessage().contains("clipp"), e.getMessage());
    }

    @Test
    void theShippedDefenseStudyLoads() {
        ExperimentConfig c = ConfigLoader.load(Path.of("..", "configs", "defenses.yaml"));
        assertEquals(27, c.targets().size());
        assertEquals(24, c.targets().stream().filter(t -> t.defense() != null).count());
    }

    @Test
    void malformedYamlIsOneLine() throws Exception {
        Path p = write("name: [unclosed\n  targets: {\n");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("nope.yaml");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());
    }
}
