package dev.mi4j.experiments.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium for the report tests: a page's screenshot or DOM after load, and the check that
 * the browser logged no console message. Chromium must be at /usr/bin/chromium (CI installs the
 * Debian package); a test that needs it fails with that instruction otherwise.
 */
public final class HeadlessChromium {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    /** Fails the test, saying what to install, when there is no Chromium. */
    public static void require() {
        assertTrue(Files.isExecutable(CHROMIUM), "no /usr/bin/chromium: install the Debian package chromium (.ci/run does)");
    }

    /** The command line of one headless run with its own profile folder. */
    public static List<String> command(Path profile, String... args) {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code cmd} (at most 90 s), stdout and stderr to files; returns stderr. */
    public static String run(List<String> cmd, Path stdout, Path stderr) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + String.join(" ", cmd));
        }
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** No line of Chromium's stderr is a console message or an uncaught error. */
    public static void assertNoConsoleMessages(String stderr) {
        for (String line : stderr.split("\n")) {
            assertFalse(line.contains("CONSOLE") || line.contains("Uncaught"), "browser console: " + line);
        }
    }
}
