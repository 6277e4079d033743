package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defense study in its quick form (what CI runs): the softmax targets of configs/defenses.yaml,
 * each trained without or with one defense and attacked white-box and black-box; the table, the
 * privacy-utility plot, the defense gallery, and what each DP-SGD model's provenance records.
 */
class DefenseStudyTest {

    @TempDir
    Path out;

    @Test
    void quickDefenseStudy() throws Exception {
        CliRun r = CliRun.of("reproduce", "defenses", "--quick", "--out", out.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        String header = r.out().lines().filter(l -> l.startsWith("model ")).findFirst().orElseThrow();
        assertTrue(header.contains("| defense") && header.contains("| epsilon") && header.contains("| top-1 attack acc"), header);
        List<String> rows = r.out().lines().filter(l -> l.startsWith("softmax ")).toList();
        assertEquals(18, rows.size(), "9 softmax models, white-box and black-box:\n" + r.out());
        // One panel per architecture and attacker: the quick study's softmax, white-box above black-box.
        java.awt.image.BufferedImage plot = javax.imageio.ImageIO.read(out.resolve("privacy-utility.png").toFile());
        assertEquals(560, plot.getWidth(), "one column of panels");
        assertEquals(2 * 440, plot.getHeight(), "two panels: white-box and black-box");
        assertTrue(Files.size(out.resolve("softmax-defenses.png")) > 1000);

        // The DP-SGD models record the epsilon their noise was calibrated to, at delta 1e-5.
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(18, summary.get("results").size());
        List<Double> epsilons = new ArrayList<>();
        try (Stream<Path> files = Files.list(CliRun.TEST_MODELS)) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("att-faces-softmax-dp-.*\\.provenance\\.json"))
                    .toList()) {
                JsonNode d = Json.mapper().readTree(p.toFile()).get("defense");
                assertEquals("dp", d.get("name").asText(), p.toString());
                assertEquals(1e-5, d.get("delta").asDouble(), 0);
                epsilons.add(d.get("epsilon").asDouble());
            }
        }
        for (double target : new double[] {1, 2, 4, 8, 16}) {
            assertTrue(epsilons.stream().anyMatch(e -> Math.abs(e - target) <= 1e-3 * target),
                    "a model spent epsilon " + target + ": " + epsilons);
        }
    }
}
