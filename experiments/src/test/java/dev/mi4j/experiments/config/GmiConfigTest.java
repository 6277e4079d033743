package dev.mi4j.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attacks: list, protocol: and gan: sections: the shipped GMI study reads, and every mistake is one line naming it. */
class GmiConfigTest {

    @TempDir
    Path dir;

    private static final String STUDY = """
            name: g
            protocol:
              size: 32
            targets:
              - architecture: cnn
            attacks:
              - label: MI-Face
                attack: {name: mi-face, alpha: 20}
                variants:
                  - {objective: neg_log_p}
                  - {init: mean}
              - label: GMI
                attack:
                  name: gmi
                  lambda: 50
              - label: GMI black-box
                attack: {name: gmi, targets: "0,1"}
                blackbox: {samples: 5, alpha: 10}
            """;

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private Mi4jException refused(String yaml) throws Exception {
        Path p = write(yaml);
        Mi4jException e = assertThrows(Mi4jException.class, () -> ConfigLoader.load(p));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        return e;
    }

    @Test
    void theShippedStudyReads() {
        ExperimentConfig c = ConfigLoader.load(Path.of("..", "configs", "gmi2020.yaml"));
        assertEquals(List.of("MI-Face", "GMI", "GMI black-box"), c.attacks().stream().map(AttackEntry::label).toList());
        assertEquals(4, c.attacks().get(0).runs().size());
        assertEquals(1500, c.attacks().get(1).attack().params().iterations());
        assertEquals(100.0, c.attacks().get(1).attack().params().getDouble("lambda"));
        assertNull(c.attacks().get(1).blackbox());
        assertEquals(300, c.attacks().get(2).blackbox().apply(c.attacks().get(2).attack().params()).iterations());
        assertEquals("att-faces", c.protocol().spec().privateDataset());
        assertEquals(List.of("lfw-min70", "yale"), c.protocol().spec().publicDatasets());
        assertEquals(32, c.protocol().spec().size());
        assertEquals(40, c.gan().config().epochs());
        assertEquals(2e-4, c.gan().config().learningRate());
        assertEquals(0.5, c.gan().config().beta1());
        assertEquals(64, c.gan().config().batchSize());
        assertEquals(List.of("cnn", "mlp"), c.targets().stream().map(ExperimentConfig.TargetConfig::architecture).toList());
    }

    @Test
    void aSmallStudyReadsWithDefaults() throws Exception {
        ExperimentConfig c = ConfigLoader.load(write(STUDY));
        assertEquals("gmi", c.attacks().get(1).attack().name());
        assertEquals(50.0, c.attacks().get(1).attack().params().getDouble("lambda"));
        assertEquals("mi-face", c.attacks().get(0).folder());
        assertEquals("gmi-black-box", c.attacks().get(2).folder());
        assertNull(c.gan());
        assertEquals(42L, c.protocol().spec().seed());
    }

    @Test
    void gmiWithoutAGanSourceIsRefused() throws Exception {
        Mi4jException e = refused(STUDY.replace("protocol:\n  size: 32\n", ""));
        assertTrue(e.getMessage().contains("attacks[1]: attack gmi needs a GAN prior"), e.getMessage());
    }

    @Test
    void entryMistakesNameTheFieldAndTheLine() throws Exception {
        Mi4jException key = refused(STUDY.replace("      lambda: 50", "      lamda: 50"));
        assertTrue(key.getMessage().contains(" line 15: attacks[1].attack.lamda: not a parameter of attack gmi"), key.getMessage());
        Mi4jException value = refused(STUDY.replace("      lambda: 50", "      lambda: -5"));
        assertTrue(value.getMessage().contains("attacks[1].attack.lambda: must be finite and >= 0"), value.getMessage());
        Mi4jException variant = refused(STUDY.replace("{init: mean}", "{snapshotEvery: 3}"));
        assertTrue(variant.getMessage().contains("attacks[0].variants[1]: 'snapshotEvery' is not a parameter of attack"
                + " mi-face that a run may vary"), variant.getMessage());
        Mi4jException name = refused(STUDY.replace("name: gmi\n      lambda", "name: gmo\n      lambda"));
        assertTrue(name.getMessage().contains("attacks[1].attack.name: unknown attack 'gmo'"), name.getMessage());
        Mi4jException twice = refused(STUDY.replace("label: GMI black-box", "label: GMI"));
        assertTrue(twice.getMessage().contains("attacks[2].label: 'GMI' is used twice"), twice.getMessage());
        // A misspelt label reads as a missing one (Jackson builds the entry before it reports unknown keys).
        Mi4jException unknown = refused(STUDY.replace("  - label: GMI\n", "  - lable: GMI\n"));
        assertTrue(unknown.getMessage().contains("attacks[1]: label: every entry of attacks: needs a label")
                || unknown.getMessage().contains("unknown key 'attacks[1].lable'"), unknown.getMessage());
        Mi4jException nolabel = refused(STUDY.replace("  - label: GMI\n    attack:\n", "  - attack:\n"));
        assertTrue(nolabel.getMessage().contains("label: every entry of attacks: needs a label"), nolabel.getMessage());
    }

    @Test
    void ganAndProtocolMistakesAreOneLine() throws Exception {
        Mi4jException width = refused(STUDY + "gan:\n  width: 0\n");
        assertTrue(width.getMessage().contains("gan.width: must be >= 1, got 0"), width.getMessage());
        Mi4jException noPublic = refused(STUDY.replace("protocol:\n  size: 32\n", "") + "gan:\n  epochs: 3\n");
        assertTrue(noPublic.getMessage().contains("gan: training the attacker's GAN needs a protocol: section"),
                noPublic.getMessage());
        Mi4jException size = refused(STUDY.replace("  size: 32", "  size: 4"));
        assertTrue(size.getMessage().contains("protocol.size: must be >= 8"), size.getMessage());
        Mi4jException pub = refused(STUDY.replace("  size: 32", "  public: [att-faces]"));
        assertTrue(pub.getMessage().contains("protocol.public: att-faces is the private dataset"), pub.getMessage());
    }
}
