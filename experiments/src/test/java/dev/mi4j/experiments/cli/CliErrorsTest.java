package dev.mi4j.experiments.cli;

import dev.mi4j.core.testing.SharedDatasets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** User mistakes end with exit code 2 and one line that names the file, field or parameter. */
class CliErrorsTest {

    @TempDir
    Path tmp;

    private static void assertOneLineError(CliRun r, String mustContain) {
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        String errors = r.errorLines();
        assertEquals(1, errors.lines().count(), "exactly one error line, got:\n" + r.err());
        assertTrue(errors.contains(mustContain), "error should mention '" + mustContain + "': " + errors);
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose:\n" + r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"datasets", "train", "evaluate", "invert", "reproduce", "bench invert"})
    void everyCommandHasHelp(String command) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
        args.add("--help");
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Usage: mi4j " + command), r.out());
        assertTrue(r.out().contains("--quiet"), "every command takes --quiet: " + r.out());
    }

    /** How a -Pgpu build fails on a machine without CUDA: ND4J's backend error inside the Nd4j class initialiser. */
    @Test
    void aBackendThatCannotLoadIsRecognisedThroughItsCauseChain() {
        Throwable backend = new org.nd4j.linalg.factory.Nd4jBackend.NoAvailableBackendException("no backend");
        assertTrue(Main.isBackendFailure(new ExceptionInInitializerError(new RuntimeException(backend))));
        assertFalse(Main.isBackendFailure(new ExceptionInInitializerError(new IllegalStateException("other"))));
        assertFalse(Main.isBackendFailure(new NoClassDefFoundError("x")));
    }

    @Test
    void sparkOptionsAreCheckedAndAMissingSparkModuleSaysHowToBuildIt() throws Exception {
        Path cfg = SweepCommandTest.miniConfig(tmp);
        assertOneLineError(CliRun.of("sweep", cfg.toString(), "--spark-conf", "spark.executor.memory=2g"), "--spark-conf");
        assertOneLineError(CliRun.of("sweep", cfg.toString(), "--spark", "local[2]", "--parallel", "2"), "--parallel");
        // The experiments module alone has no cluster dispatcher: the error comes before any data
        // is read or model trained, and names the build command.
        Path out = tmp.resolve("spark-run");
        CliRun r = CliRun.of("sweep", cfg.toString(), "--spark", "local[2]", "--out", out.toString());
        assertOneLineError(r, "-pl distributed -am package");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void unknownArchitectureIsNamed() {
        assertOneLineError(CliRun.of("train", "--model", "resnet999"), "resnet999");
    }

    @Test
    void countAndFractionSplitsExcludeEachOther() {
        assertOneLineError(CliRun.of("train", "--model", "softmax", "--train-per-identity", "5", "--train-fraction", "0.5"),
                "--train-per-identity or --train-fraction, not both");
        assertOneLineError(CliRun.of("train", "--model", "softmax", "--train-fraction", "1"), "trainFraction must be > 0 and < 1");
    }

    @Test
    void unknownDatasetIsNamed() {
        assertOneLineError(CliRun.of("train", "--model", "softmax", "--dataset", "imagenet"), "imagenet");
    }

    @Test
    void missingModelFileIsNamed() {
        Path missing = tmp.resolve("no-such-model.zip");
        assertOneLineError(CliRun.of("evaluate", missing.toString()), "no-such-model.zip");
    }

    @Test
    void modelFileThatIsNotAZipIsNamed() throws Exception {
        Path bogus = tmp.resolve("bogus.zip");
        Files.writeString(bogus, "this is not a model");
        assertOneLineError(CliRun.of("evaluate", bogus.toString()), "bogus.zip");
    }

    @Test
    void missingConfigIsNamed() {
        assertOneLineError(CliRun.of("reproduce", "no-such-paper"), "no-such-paper");
    }

    @Test
    void corruptImageInADatasetFolderNamesTheFile() throws Exception {
        Path root = copyAtt(tmp.resolve("att_faces"));
        Path victim = root.resolve("s3").resolve("4.pgm");
        byte[] bytes = Files.readAllBytes(victim);
        Files.write(victim, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CliRun r = CliRun.of("train", "--model", "softmax", "--data-path", root.toString(), "--out", tmp.resolve("m").toString());
        assertOneLineError(r, "4.pgm");
        assertFalse(Files.exists(tmp.resolve("m")), "nothing written after a failed load");
    }

    @Test
    void missingIdentityFolderIsNamed() throws Exception {
        Path root = copyAtt(tmp.resolve("att_faces"));
        try (Stream<Path> files = Files.list(root.resolve("s17"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(root.resolve("s17"));
        assertOneLineError(CliRun.of("train", "--model", "softmax", "--data-path", root.toString()), "s17");
    }

    @Test
    void unknownGradientPathIsNamed() {
        assertOneLineError(CliRun.of("bench", "invert", "--model", "softmax", "--gradient", "quick"), "--gradient");
    }

    @Test
    void badAttackParameterIsNamed() {
        assertOneLineError(CliRun.of("invert", "--model", "softmax", "--alpha", "-5", "--out", tmp.toString()), "alpha");
    }

    @Test
    void badProcessSpecIsNamedBeforeAnythingIsTrained() {
        assertOneLineError(CliRun.of("invert", "--model", "softmax", "--process", "sharpen:amount=x", "--out", tmp.toString()),
                "amount");
        // Process-DAE on a target without an autoencoder: refused up front, naming the option.
        assertOneLineError(CliRun.of("invert", "--model", "mlp", "--process", "dae", "--out", tmp.toString()),
                "mi-face {process=dae} needs the autoencoder of a dae target");
    }

    static Path copyAtt(Path dest) throws Exception {
        Path src = SharedDatasets.root().resolve("att_faces");
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                Path d = dest.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
        return dest;
    }
}
