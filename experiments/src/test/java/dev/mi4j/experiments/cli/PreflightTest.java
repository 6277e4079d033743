package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.experiments.pipeline.Preflight;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** invert and reproduce refuse to start without the disk space or memory they need, saying what to change. */
class PreflightTest {

    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        Preflight.freeSpaceSource(null);
        Preflight.memoryLimitsSource(null);
    }

    private static void assertRefused(CliRun r, String... mustContain) {
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        String errors = r.errorLines();
        assertEquals(1, errors.lines().count(), r.err());
        for (String s : mustContain) {
            assertTrue(errors.contains(s), "error should mention '" + s + "': " + errors);
        }
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void invertRefusesWhenTheDiskIsFull() {
        Preflight.freeSpaceSource(dir -> 10_000);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("invert", "--model", "softmax", "--evaluator", "none", "--alpha", "2", "--quiet",
                "--out", out.toString());
        assertRefused(r, out.toString(), "free", "--out");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void reproduceRefusesWhenTheDiskIsFull() throws Exception {
        Preflight.freeSpaceSource(dir -> 10_000);
        Path cfg = tmp.resolve("small.yaml");
        Files.writeString(cfg, "name: small\ntargets:\n  - architecture: softmax\nevaluator:\n  architecture: eval\n"
                + "attack:\n  alpha: 2\n  targets: 0,1\n");
        Path out = tmp.resolve("out");
        assertRefused(CliRun.of("reproduce", cfg.toString(), "--quiet", "--out", out.toString()), out.toString(), "free");
        assertFalse(Files.exists(out));
    }

    @Test
    void sweepRefusesWhenTheDiskCannotHoldItsTrials() throws Exception {
        Preflight.freeSpaceSource(dir -> 10_000);
        Path cfg = tmp.resolve("sweep.yaml");
        Files.writeString(cfg, "name: sw\ntargets:\n  - architecture: softmax\nattack:\n  targets: 0,1\n"
                + "sweep:\n  parameters:\n    alpha: [2, 3]\n");
        Path out = tmp.resolve("sweep-out");
        assertRefused(CliRun.of("sweep", cfg.toString(), "--quiet", "--out", out.toString()), out.toString(), "free");
        assertFalse(Files.exists(out));
    }

    @Test
    void invertRefusesAModelThatDoesNotFitInMemory() {
        Preflight.memoryLimitsSource(() -> new Preflight.MemoryLimits(64L << 20, 1L << 20));
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("invert", "--model", "softmax", "--evaluator", "none", "--alpha", "2", "--quiet",
                "--out", out.toString());
        assertRefused(r, "softmax", "org.bytedeco.javacpp.maxbytes");
        assertFalse(Files.exists(out));

        Preflight.memoryLimitsSource(() -> new Preflight.MemoryLimits(1L << 20, Long.MAX_VALUE));
        assertRefused(CliRun.of("invert", "--model", "softmax", "--evaluator", "none", "--alpha", "2", "--quiet",
                "--out", out.toString()), "-Xmx");
    }

    @Test
    void theSpaceEstimateBoundsWhatARunWrites() throws Exception {
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("invert", "--model", "softmax", "--evaluator", "none", "--init", "uniform",
                "--alpha", "3", "--targets", "0,1,2", "--quiet", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        long written = ReliabilityFiles.files(out).values().stream().mapToLong(Long::longValue).sum();
        long bound = Preflight.expectedOutputBytes(new ImageShape(1, 112, 92), 3);
        assertTrue(written <= bound, written + " bytes written, estimate " + bound);
        assertTrue(bound < 20 * written, "the estimate is a bound, not a wild guess: " + bound + " vs " + written);
    }
}
