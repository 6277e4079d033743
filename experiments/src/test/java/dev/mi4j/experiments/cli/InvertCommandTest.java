package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.Images;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.metrics.ImageSimilarity;
import dev.mi4j.datasets.DatasetRegistry;
import dev.mi4j.datasets.Datasets;
import dev.mi4j.datasets.LoadOptions;
import dev.mi4j.datasets.Splits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** mi4j invert end to end on the softmax target: outputs, stopping, and faces that resemble their identity. */
class InvertCommandTest {

    @TempDir
    Path out;

    @Test
    void invertsSoftmaxTargetsIntoImagesCloserToTheirOwnIdentity() throws Exception {
        CliRun r = CliRun.of("invert", "--model", "softmax", "--targets", "0,1,2,3,4,5", "--evaluator", "none",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(6, metrics.get("targets").size());
        // Without an evaluator the classifier metrics are not computed: "n/a" in the summary, null in JSON.
        assertTrue(r.out().contains("top-1 n/a, top-5 n/a, lineup n/a"), r.out());
        assertFalse(r.out().contains("NaN"), r.out());
        assertTrue(metrics.at("/aggregate/top1Accuracy").isNull(), metrics.get("aggregate").toString());
        assertTrue(Files.isRegularFile(out.resolve("gallery.png")));
        assertTrue(ImageIO.read(out.resolve("gallery.png").toFile()).getHeight() > 6 * 112);

        LabeledImages all = Datasets.load("att-faces", Optional.empty(), LoadOptions.defaults(DatasetRegistry.ATT_FACES)).images();
        LabeledImages train = Splits.perIdentity(all, 7, 42).train();
        int closerToOwn = 0;
        for (JsonNode t : metrics.get("targets")) {
            int label = t.get("label").asInt();
            String identity = t.get("identity").asText();
            assertEquals("s" + (label + 1), identity);
            assertTrue(t.get("bestPLabel").asDouble() >= 0.99, "softmax targets reach the paper's gamma: " + t);
            assertEquals("CONFIDENT", t.get("stopReason").asText());
            assertEquals(t.get("iterations").asInt() + 1, t.get("gradientEvaluations").asInt(), "one gradient per step plus x0");
            assertEquals(t.get("gradientEvaluations").asInt(), t.get("modelQueries").asInt(), "white-box: one query per gradient");
            INDArray rec = Images.fromImage(ImageIO.read(out.resolve(identity).resolve("reconstruction.png").toFile()), true);
            // The reconstruction resembles its own identity's mean face more than the average other identity's.
            double own = ImageSimilarity.ssim(rec, train.imagesOf(label).mean(0));
            double others = 0;
            for (int o = 0; o < all.numClasses(); o++) {
                if (o != label) {
                    others += ImageSimilarity.ssim(rec, train.imagesOf(o).mean(0)) / (all.numClasses() - 1);
                }
            }
            if (own > others) {
                closerToOwn++;
            }
            assertEquals(own, t.at("/metrics/ssimMean").asDouble(), 2e-3, "metrics.json SSIM to the class mean (PNG rounding)");
        }
        assertTrue(closerToOwn >= 5, "reconstructions closer to their own identity: " + closerToOwn + "/6");
    }
}
