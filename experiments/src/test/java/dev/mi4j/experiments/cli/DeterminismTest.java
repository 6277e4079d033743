package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same command twice gives the same results: inversions (UNIFORM init, so the seed matters)
 * byte for byte, metrics.json apart from {@link ReliabilityFiles#TIMING_FIELDS}; training with
 * separate caches gives identical coefficients.
 */
class DeterminismTest {

    @TempDir
    Path tmp;

    private CliRun invert(Path out, String seed) {
        return CliRun.of("invert", "--model", "softmax", "--evaluator", "none", "--init", "uniform", "--seed", seed,
                "--alpha", "30", "--targets", "0,5", "--quiet", "--out", out.toString());
    }

    @Test
    void sameInvertCommandTwiceGivesIdenticalOutputs() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        for (Path out : List.of(a, b)) {
            CliRun r = invert(out, "7");
            assertEquals(0, r.exitCode(), r.err());
        }
        List<Path> pngs = ReliabilityFiles.pngs(a);
        assertEquals(2 * 4 + 1, pngs.size(), "2 identities x (reconstruction, stretched, training image, mean) and the gallery: " + pngs);
        for (Path p : pngs) {
            Path other = b.resolve(a.relativize(p).toString());
            assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(other), "differs: " + a.relativize(p));
        }
        JsonNode ma = ReliabilityFiles.json(a.resolve("metrics.json"));
        JsonNode mb = ReliabilityFiles.json(b.resolve("metrics.json"));
        assertEquals("UNIFORM", ma.get("params").get("init").asText());
        assertEquals(ReliabilityFiles.withoutTiming(ma), ReliabilityFiles.withoutTiming(mb));
        assertFalse(ReliabilityFiles.withoutTiming(ma).has("attackMillis"));

        // Control: the seed does matter, so the equality above is not vacuous.
        CliRun r = invert(c, "8");
        assertEquals(0, r.exitCode(), r.err());
        Path recon = a.relativize(pngs.stream().filter(p -> p.getFileName().toString().equals("reconstruction.png"))
                .reduce((x, y) -> y).orElseThrow());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve(recon)), Files.readAllBytes(c.resolve(recon))),
                "another seed should give another reconstruction: " + recon);
    }

    @Test
    void trainingTwiceWithSeparateCachesGivesIdenticalCoefficients() throws Exception {
        TreeMap<String, byte[]> first = null;
        JsonNode firstProv = null;
        for (String run : List.of("1", "2")) {
            Path out = tmp.resolve("out" + run);
            CliRun r = CliRun.of("train", "--model", "softmax", "--epochs", "3", "--quiet",
                    "--cache", tmp.resolve("cache" + run).toString(), "--out", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            Path zip = out.resolve("att-faces-softmax.zip");
            TreeMap<String, byte[]> entries = ReliabilityFiles.entries(zip);
            JsonNode prov = ReliabilityFiles.withoutTiming(ReliabilityFiles.json(ModelStore.provenancePath(zip)));
            if (first == null) {
                first = entries;
                firstProv = prov;
            } else {
                assertEquals(first.keySet(), entries.keySet());
                for (String name : first.keySet()) {
                    assertArrayEquals(first.get(name), entries.get(name), "zip entry " + name + " differs");
                }
                assertEquals(firstProv, prov, "provenance apart from timing");
            }
        }
    }
}
