package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classic AT&T result through the command line: softmax regression and the paper's MLP
 * reach at least 90% on the 120 held-out images (3 per identity), and evaluate agrees.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttTargetsTest {

    @TempDir
    static Path out;

    @Order(1)
    @ParameterizedTest
    @ValueSource(strings = {"softmax", "mlp"})
    void trainReachesNinetyPercentOnHeldOutFaces(String arch) throws Exception {
        CliRun r = CliRun.of("train", "--model", arch, "--dataset", "att-faces", "--out", out.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        Path zip = out.resolve("att-faces-" + arch + ".zip");
        assertTrue(Files.isRegularFile(zip));
        Provenance p = ModelStore.load(zip).provenance();
        assertTrue(p.testAccuracy() >= 0.90, arch + " test accuracy " + p.testAccuracy());
        assertEquals("att-faces", p.datasetName());
        assertEquals(40, p.numClasses());
        assertEquals(64, p.datasetManifestSha256().length());
        assertEquals(7, ((Number) p.hyperparameters().get("split.trainPerIdentity")).intValue());

        CliRun e = CliRun.of("evaluate", zip.toString(), "--json", "--quiet");
        assertEquals(0, e.exitCode(), e.err());
        JsonNode doc = Json.mapper().readTree(e.out());
        assertEquals(120, doc.at("/report/n").asInt(), "the 120 held-out AT&T images");
        assertEquals(p.testAccuracy(), doc.at("/report/accuracy").asDouble(), 1e-9,
                "evaluate recreates the training split from the provenance");
    }

    @Order(2)
    @Test
    void evaluateRefusesAModelForAnotherDataset() {
        Path zip = out.resolve("att-faces-softmax.zip");
        CliRun r = CliRun.of("evaluate", zip.toString(), "--dataset", "yale");
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        assertTrue(r.errorLines().contains("att-faces-softmax.zip"), r.err());
    }
}
