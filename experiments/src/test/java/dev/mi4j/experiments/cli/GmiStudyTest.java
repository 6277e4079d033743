package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.Json;
import dev.mi4j.experiments.pipeline.AttackStudy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mi4j reproduce gmi2020 --quick}, as CI runs it: the public/private protocol, a one-epoch
 * GAN, both targets, MI-Face's four variants, GMI white-box and black-box side by side, the table,
 * galleries and summary. (Quick figures are not the study's: see the README for the full run.)
 */
class GmiStudyTest {

    @TempDir
    Path out;

    @Test
    void quickStudyRunsEveryAttackOnEveryTarget() throws Exception {
        CliRun r = CliRun.of("reproduce", "gmi2020", "--quick", "--out", out.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        String header = r.out().lines().filter(l -> l.startsWith("model ")).findFirst().orElseThrow();
        for (String column : new String[] {"attack", "variant", "test acc", "top-1", "top-5", "KNN dist", "SSIM", "lineup",
                "p_label", "queries", "s/identity"}) {
            assertTrue(header.contains("| " + column), header);
        }
        assertTrue(r.out().contains("protocol: private: 20 of 40 att-faces identities"), r.out());
        assertTrue(r.out().contains("GAN prior: DCGAN generator z100"), r.out());

        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(summary.get("quick").asBoolean());
        assertEquals("public-faces", summary.at("/gan/datasetName").asText());
        assertEquals(1, summary.at("/gan/epochs").asInt());
        // 2 targets x (4 MI-Face variants + GMI + GMI black-box).
        assertEquals(12, summary.get("results").size());
        Set<String> shown = new HashSet<>();
        for (JsonNode row : summary.get("results")) {
            String attack = row.get("attack").asText();
            int n = row.get("targets").asInt();
            assertEquals(AttackStudy.QUICK_IDENTITIES, n, row.toString());
            JsonNode params = row.get("params");
            Path dir = out.resolve(row.get("folder").asText());
            assertTrue(Files.isRegularFile(dir.resolve("gallery.png")), dir.toString());
            try (Stream<Path> pngs = Files.walk(dir)) {
                assertEquals(n, pngs.filter(p -> p.getFileName().toString().equals("reconstruction.png")).count());
            }
            if (attack.equals("MI-Face")) {
                assertEquals(AttackStudy.QUICK_ITERATIONS, params.get("alpha").asInt());
            } else {
                assertEquals(AttackStudy.QUICK_ITERATIONS, params.get("iterations").asInt());
                assertEquals(100.0, params.get("lambda").asDouble());
                int restarts = params.get("restarts").asInt();
                long rows = (long) n * restarts;
                // White-box: one query per row per step plus the final predict; black-box NES 25 pairs: 51 per row per step.
                long perStep = attack.equals("GMI") ? 1 : 51;
                assertEquals(rows * AttackStudy.QUICK_ITERATIONS * perStep + rows, row.get("modelQueries").asLong(), row.toString());
                assertEquals(attack.equals("GMI") ? "white-box" : "black-box", row.get("attacker").asText().substring(0, 9));
            }
            if (row.get("shownInGallery").asBoolean()) {
                shown.add(row.get("model").asText() + "/" + attack);
            }
            double p = row.get("meanTruePLabel").asDouble();
            assertTrue(p > 0 && p < 1, row.toString());
        }
        assertEquals(Set.of("cnn/MI-Face", "cnn/GMI", "cnn/GMI black-box", "mlp/MI-Face", "mlp/GMI", "mlp/GMI black-box"), shown);
        for (String f : new String[] {"cnn-comparison.png", "mlp-comparison.png", "gan-samples.png", "summary.txt"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
    }
}
