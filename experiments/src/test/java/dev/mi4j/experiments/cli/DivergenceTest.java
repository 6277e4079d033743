package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step size so large that the first step overflows: every target stops as DIVERGED, the run
 * still completes, the images written are the best finite iterates, and metrics.json says how
 * many diverged.
 */
class DivergenceTest {

    @TempDir
    Path tmp;

    @Test
    void hugeLambdaDivergesHonestly() throws Exception {
        Path out = tmp.resolve("out");
        // 1e300 is a finite double (so MiFaceParams accepts it) but overflows the FLOAT step to infinity.
        CliRun r = CliRun.of("invert", "--model", "softmax", "--evaluator", "none", "--lambda", "1e300",
                "--targets", "0,1,2", "--alpha", "50", "--quiet", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("3 of 3 targets diverged"), r.out());

        assertFalse(Files.readString(out.resolve("metrics.json")).contains("NaN"), "JSON has no NaN tokens");
        JsonNode m = ReliabilityFiles.json(out.resolve("metrics.json"));
        assertEquals(3, m.get("diverged").asInt());
        assertEquals(3, m.get("stopReasons").get("DIVERGED").asInt());
        assertEquals(3, m.get("aggregate").get("count").asInt());
        for (JsonNode t : m.get("targets")) {
            assertEquals("DIVERGED", t.get("stopReason").asText(), t.toString());
            assertEquals(1, t.get("iterations").asInt(), "stops at the step that overflowed");
            assertEquals(0, t.get("bestIteration").asInt(), "best finite iterate is the start image");
            assertTrue(Double.isFinite(t.get("bestCost").asDouble()), t.toString());
        }
        for (JsonNode t : m.get("targets")) {
            String id = t.get("identity").asText();
            BufferedImage img = ImageIO.read(out.resolve(id).resolve("reconstruction.png").toFile());
            Raster px = img.getRaster();
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    assertEquals(0, px.getSample(x, y, 0), "the zeros start image, not an overflowed iterate");
                }
            }
        }
        assertTrue(Files.isRegularFile(out.resolve("gallery.png")));
    }
}
