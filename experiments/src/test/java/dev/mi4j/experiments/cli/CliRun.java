package dev.mi4j.experiments.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the mi4j command line in-process and captures its exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    /** Models trained by tests are cached here, so each is trained once per build. */
    static final Path TEST_MODELS = Path.of("target", "test-models").toAbsolutePath();

    static CliRun of(String... args) {
        System.setProperty("mi4j.models", TEST_MODELS.toString());
        System.setProperty("java.awt.headless", "true");
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The lines mi4j itself printed as errors (logging lines excluded). */
    String errorLines() {
        return err.lines().filter(l -> l.startsWith("mi4j:")).reduce("", (a, b) -> a + b + "\n");
    }
}
