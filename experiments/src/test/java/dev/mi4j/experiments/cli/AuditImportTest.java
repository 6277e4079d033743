package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.image.Images;
import dev.mi4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code mi4j audit} on models another framework made: the softmax regression PyTorch trained on
 * the AT&amp;T faces at 28x23 (core's import fixtures, {@code core/src/test/fixtures}), as ONNX and as
 * the same weights in a Keras .h5. Both audits (quick, the dataset read at the model's size with
 * --resize) must reach the same verdict, the same risk per identity and the same reconstructions
 * up to float rounding: one model, two file formats. And the refusals of outside files: an
 * unsupported ONNX operator, a truncated .h5, a shape that does not fit: one line, exit 2, nothing written.
 */
class AuditImportTest {

    private static final Path FIXTURES = Path.of("..", "core", "src", "test", "resources", "imports").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void theOnnxAndKerasFilesOfOneModelGetTheSameVerdict() throws Exception {
        Path onnx = tmp.resolve("onnx");
        Path keras = tmp.resolve("keras");
        for (Object[] run : new Object[][] {{"softmax.onnx", onnx}, {"softmax.h5", keras}}) {
            CliRun r = CliRun.of("audit", "--model", FIXTURES.resolve((String) run[0]).toString(), "--dataset", "att-faces",
                    "--resize", "--quick", "--out", run[1].toString(), "--quiet");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("verdict"), r.out());
        }
        JsonNode a = Json.mapper().readTree(onnx.resolve("verdict.json").toFile());
        JsonNode b = Json.mapper().readTree(keras.resolve("verdict.json").toFile());
        assertEquals("onnx", a.at("/model/format").asText(), a.at("/model").toString());
        assertEquals("keras-h5", b.at("/model/format").asText(), b.at("/model").toString());
        assertEquals(28, a.at("/dataset/shape/height").asInt(), a.at("/dataset").toString());
        assertEquals(23, a.at("/dataset/shape/width").asInt(), a.at("/dataset").toString());
        assertEquals(a.get("verdict"), b.get("verdict"));
        assertEquals(a.get("identities"), b.get("identities"));
        List<String> risksA = new ArrayList<>();
        List<String> risksB = new ArrayList<>();
        a.get("perIdentity").forEach(n -> risksA.add(n.get("identity").asText() + "=" + n.get("risk").asText()));
        b.get("perIdentity").forEach(n -> risksB.add(n.get("identity").asText() + "=" + n.get("risk").asText()));
        assertEquals(risksA, risksB);
        // The reconstructions: the same attack on the same weights, so the same images up to float
        // rounding of the two networks' summation orders (PNG quantises to 1/255).
        double worst = 0;
        int compared = 0;
        for (JsonNode n : a.get("perIdentity")) {
            String rel = n.get("reconstruction").asText();
            INDArray x = Images.fromImage(javax.imageio.ImageIO.read(onnx.resolve(rel).toFile()), true);
            INDArray y = Images.fromImage(javax.imageio.ImageIO.read(keras.resolve(rel).toFile()), true);
            worst = Math.max(worst, x.sub(y).amaxNumber().doubleValue());
            compared++;
        }
        assertTrue(compared > 0);
        assertTrue(worst <= 2.0 / 255 + 1e-6, "largest pixel difference between the ONNX and Keras reconstructions: " + worst);
    }

    @Test
    void outsideFilesItCannotAuditAreRefusedInOneLine() throws Exception {
        Path out = tmp.resolve("refused");
        // An operator the converter does not know.
        CliRun r = CliRun.of("audit", "--model", FIXTURES.resolve("unsupported_erf.onnx").toString(), "--dataset", "att-faces",
                "--resize", "--out", out.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        assertEquals(1, r.errorLines().lines().count(), r.err());
        assertTrue(r.errorLines().contains("Erf"), r.errorLines());
        // A truncated .h5.
        Path cut = tmp.resolve("cut.h5");
        byte[] whole = Files.readAllBytes(FIXTURES.resolve("softmax.h5"));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        r = CliRun.of("audit", "--model", cut.toString(), "--dataset", "att-faces", "--resize", "--out", out.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        assertEquals(1, r.errorLines().lines().count(), r.err());
        assertTrue(r.errorLines().contains("cut.h5"), r.errorLines());
        // The model's 28x23 input against the AT&T images at their own 92x112, without --resize.
        r = CliRun.of("audit", "--model", FIXTURES.resolve("softmax.onnx").toString(), "--dataset", "att-faces",
                "--out", out.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        assertTrue(r.errorLines().contains("1x28x23") && r.errorLines().contains("--resize"), r.errorLines());
        assertFalse(Files.exists(out), "nothing written");
    }
}
