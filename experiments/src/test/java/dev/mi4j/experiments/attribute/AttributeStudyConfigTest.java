package dev.mi4j.experiments.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Study configs: recognised by their study key, validated when read, refused in one line naming file and key. */
class AttributeStudyConfigTest {

    @TempDir
    Path tmp;

    private static final String GOOD = """
            study: attribute-inference
            name: t
            dataset: steak-survey
            seeds: [3, 4]
            targets:
              - {name: tree, model: cart, maxDepth: 4}
              - {name: lr, model: logreg, epochs: 5, defense: "dp:sigma=1,clip=1"}
            releases: [identity, label]
            attacks:
              - name: attribute-prior
              - {name: attribute-whitebox, counts: label}
            """;

    private Path write(String text) throws IOException {
        Path f = tmp.resolve("study.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theShippedConfigIsAStudyAndReads() {
        Path shipped = Path.of("..", "configs", "fredrikson2015-trees.yaml");
        assertTrue(AttributeStudyConfig.isStudy(shipped));
        AttributeStudyConfig c = AttributeStudyConfig.load(shipped);
        assertEquals("steak-survey", c.dataset());
        assertEquals("cheated", c.sensitive());
        assertFalse(AttributeStudyConfig.isStudy(Path.of("..", "configs", "fredrikson2015.yaml")),
                "the image experiment is not a study");
    }

    @Test
    void aGoodConfigReadsWithItsDefaults() throws IOException {
        AttributeStudyConfig c = AttributeStudyConfig.load(write(GOOD));
        assertEquals(0.5, c.members());
        assertEquals(2, c.targets().size());
        assertEquals(4, c.targets().get(0).cartConfig(1).maxDepth());
        assertEquals("label", c.attackParams(1).getString("counts"));
        assertEquals("whitebox (counts=label)", AttributeStudy.variant(c.attackSpec(1), c.attackParams(1)));
        assertEquals(1, c.quick().seeds());
        assertEquals("runs/t", c.output());
    }

    private String refused(String text) throws IOException {
        Path f = write(text);
        Mi4jException e = assertThrows(Mi4jException.class, () -> AttributeStudyConfig.load(f));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badValuesAreRefusedNamingTheKey() throws IOException {
        assertTrue(refused(GOOD.replace("maxDepth: 4", "maxDepth: 4, hidden: 8")).contains("hidden: not a key of a cart target"));
        assertTrue(refused(GOOD.replace("{name: tree, model: cart, maxDepth: 4}", "{model: cart, defense: \"dp:sigma=1\"}"))
                .contains("defense: not a key of a cart target"));
        assertTrue(refused(GOOD.replace("counts: label", "counts: some")).contains("attacks[1].counts: unknown value 'some'"));
        assertTrue(refused(GOOD.replace("attribute-prior", "mi-face")).contains("is an image inversion attack"));
        assertTrue(refused(GOOD.replace("[identity, label]", "[identity, round:-1]")).contains("releases:"));
        assertTrue(refused(GOOD.replace("seeds: [3, 4]", "seeds: [3, 3]")).contains("seeds: one or more distinct seeds"));
        assertTrue(refused(GOOD.replace("model: logreg", "model: forest")).contains("model: unknown 'forest'"));
        assertTrue(refused(GOOD + "extra: 1\n").contains("unknown key 'extra'"));
        assertTrue(refused(GOOD.replace("epochs: 5", "epochs: 0")).contains("epochs: must be >= 1"));
    }
}
