package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.Json;
import org.junit.jupiter.api.Test;

/** mi4j bench dp runs both gradients on real AT&T images and says how DP-SGD got its per-example gradients; no timing is asserted. */
class BenchDpCommandTest {

    @Test
    void printsBothGradientsAndTheMethod() throws Exception {
        CliRun r = CliRun.of("bench", "dp", "--model", "softmax", "--batch", "4", "--reps", "2", "--warmup", "0", "--json", "-q");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = Json.mapper().readTree(r.out());
        assertEquals("dense-norms", doc.path("perExampleGradients").asText());
        assertEquals(4, doc.path("batch").asInt());
        assertTrue(doc.path("plainMedianMs").asDouble() > 0 && doc.path("dpMedianMs").asDouble() > 0, r.out());
    }

    @Test
    void aDefenseThatIsNotDpIsNamed() {
        CliRun r = CliRun.of("bench", "dp", "--model", "softmax", "--defense", "ls:0.1", "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.errorLines().contains("--defense"), r.errorLines());
    }
}
