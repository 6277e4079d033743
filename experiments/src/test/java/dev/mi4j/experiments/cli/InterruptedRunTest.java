package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of work: a child JVM runs the real command line and is killed with
 * destroyForcibly. Afterwards no result file is half-written (only whole files or .partial
 * temporaries), the model cache holds no model without its provenance, and the next run of the
 * same command succeeds and removes the stale partial files.
 */
class InterruptedRunTest {

    @TempDir
    Path tmp;

    /** Starts the mi4j command line in a child JVM, its log in {@code log}. */
    private static Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Xmx2g", "-Djava.awt.headless=true",
                "-Dmi4j.models=" + CliRun.TEST_MODELS,
                "dev.mi4j.experiments.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until the child's log contains {@code marker}, then {@code afterMillis} more, and kills it. */
    private static void killWhen(Process p, Path log, String marker, long afterMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()
                && !(Files.exists(log) && Files.readString(log).contains(marker))) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "child ended before it could be killed:\n" + Files.readString(log));
        Thread.sleep(afterMillis);
        assertTrue(p.isAlive(), "child ended before it could be killed:\n" + Files.readString(log));
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    /** Every file is a .partial temporary or a whole, readable result. */
    private static void assertNoHalfWrittenFiles(Path root) throws IOException {
        for (Map.Entry<String, Long> f : ReliabilityFiles.files(root).entrySet()) {
            String rel = f.getKey();
            if (ReliabilityFiles.isPartialName(rel)) {
                continue;
            }
            Path p = root.resolve(rel);
            if (rel.endsWith(".png")) {
                assertNotNull(ImageIO.read(p.toFile()), "unreadable PNG " + rel);
            } else if (rel.endsWith(".json")) {
                ReliabilityFiles.json(p);   // throws if truncated
            } else if (rel.endsWith(".zip")) {
                assertTrue(Files.isRegularFile(ModelStore.provenancePath(p)), "model without provenance: " + rel);
                ModelStore.load(p);   // whole and loadable
            }
        }
    }

    private static List<Path> partials(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> ReliabilityFiles.isPartialName(p.getFileName().toString())).toList();
        }
    }

    @Test
    void killDuringTrainingLeavesNoModelWithoutProvenance() throws Exception {
        Path cache = tmp.resolve("cache");
        Path out = tmp.resolve("out");
        String[] args = {"train", "--model", "softmax", "--epochs", "40", "--cache", cache.toString(), "--out", out.toString()};
        Process p = start(tmp.resolve("train.log"), args);
        killWhen(p, tmp.resolve("train.log"), "BackendInfo", 1500);
        assertNoHalfWrittenFiles(cache);
        assertNoHalfWrittenFiles(out);
        assertTrue(ReliabilityFiles.files(out).keySet().stream().allMatch(ReliabilityFiles::isPartialName),
                "nothing but partials in the output after a kill during training: " + ReliabilityFiles.files(out));

        // The window a kill can also hit: the zip renamed into place, its provenance not yet written.
        // Simulate it (with a truncated zip for good measure): the cache must not take it as a hit.
        Files.createDirectories(out);
        Files.writeString(out.resolve(".att-faces-softmax.zip.12345.partial"), "half a model");
        CliRun first = CliRun.of(args);
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(List.of(), partials(out), "the next run removes stale partial files");
        List<Path> cached;
        try (Stream<Path> s = Files.list(cache)) {
            cached = s.filter(f -> f.toString().endsWith(".zip")).toList();
        }
        assertEquals(1, cached.size(), cached.toString());
        Path zip = cached.get(0);
        byte[] whole = Files.readAllBytes(zip);
        Files.write(zip, java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.delete(ModelStore.provenancePath(zip));

        CliRun again = CliRun.of(args);
        assertEquals(0, again.exitCode(), again.err());
        assertFalse(again.err().contains("reusing cached model"), "a zip without provenance is not a cache hit");
        assertNoHalfWrittenFiles(cache);
        assertNoHalfWrittenFiles(out);
    }

    @Test
    void killDuringInversionLeavesOnlyWholeOrPartialFiles() throws Exception {
        Path out = tmp.resolve("out");
        String[] args = {"invert", "--model", "softmax", "--evaluator", "none", "--targets", "0,1,2,3",
                "--alpha", "3000", "--beta", "3000", "--gamma", "1.0", "--out", out.toString()};
        Process p = start(tmp.resolve("invert.log"), args);
        killWhen(p, tmp.resolve("invert.log"), "inverting", 1000);
        assertNoHalfWrittenFiles(out);

        // A kill can also land while a file is being written: leave what AtomicFiles would leave.
        Files.createDirectories(out.resolve("s1"));
        Files.writeString(out.resolve("s1").resolve(".reconstruction.png.4242.partial"), "half an image");
        Files.writeString(out.resolve(".metrics.json.777.partial"), "{\"targets\": [");
        String[] quick = args.clone();
        quick[java.util.Arrays.asList(args).indexOf("3000")] = "20";   // same command, fewer steps
        CliRun r = CliRun.of(quick);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(), partials(out), "the next run removes stale partial files");
        assertNoHalfWrittenFiles(out);
        assertTrue(Files.isRegularFile(out.resolve("metrics.json")));
        assertEquals(4 * 4 + 1, ReliabilityFiles.pngs(out).size(),
                "per identity the reconstruction raw and stretched, the training image and the mean; and the gallery");
    }
}
