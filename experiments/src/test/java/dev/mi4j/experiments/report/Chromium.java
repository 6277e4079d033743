package dev.mi4j.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium (Debian's {@code chromium} package at /usr/bin/chromium; {@code .ci/run}
 * installs it) for the report tests: screenshots and the DOM after the page's scripts ran. The
 * network is cut off (every host resolves to nothing), so a page that fetched anything would log
 * an error; {@code --virtual-time-budget} lets the page's promises and timers finish before the
 * DOM is dumped.
 */
public final class Chromium {

    public static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    public static void assertInstalled() {
        assertTrue(Files.isExecutable(BINARY), "no /usr/bin/chromium: install the Debian package chromium (.ci/run does)");
    }

    private static List<String> command(Path profile, String... args) {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs chromium; returns its stderr (console messages appear there as "CONSOLE" lines). */
    public static String run(Path work, Path stdout, String... args) throws Exception {
        Files.createDirectories(work);
        Path profile = Files.createTempDirectory(work, "profile");
        Path stderr = Files.createTempFile(work, "chromium", ".err");
        List<String> cmd = command(profile, args);
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + String.join(" ", cmd));
        }
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** A screenshot of the page; asserts no console message. */
    public static Path screenshot(Path work, String url, Path png, int width, int height) throws Exception {
        String err = run(work, work.resolve("shot.out"), "--screenshot=" + png, "--window-size=" + width + "," + height,
                "--virtual-time-budget=15000", "--hide-scrollbars", url);
        assertNoConsoleMessages(err);
        assertTrue(Files.isRegularFile(png), "screenshot written; stderr: " + err);
        return png;
    }

    /** The DOM after the page's scripts ran; asserts no console message. */
    public static String dumpDom(Path work, String url) throws Exception {
        Path dom = Files.createTempFile(work, "dom", ".html");
        String err = run(work, dom, "--dump-dom", "--virtual-time-budget=15000", url);
        assertNoConsoleMessages(err);
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    /** Our scripts log nothing, so any console line (error, warning, failed load) fails the test. */
    public static void assertNoConsoleMessages(String stderr) {
        for (String line : stderr.split("\n")) {
            assertFalse(line.contains("CONSOLE") || line.contains("Uncaught"), "browser console: " + line);
        }
    }

    /** The outcome the page's #selftest wrote into {@code <pre id="selftest">}; asserts it passed. */
    public static JsonNode selfTest(String dom) throws Exception {
        Matcher m = Pattern.compile("<pre id=\"selftest\" data-status=\"(pass|fail)\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "the page wrote no self-test result");
        String json = m.group(2).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        JsonNode out = Json.mapper().readTree(json);
        assertEquals("pass", m.group(1), "self-test: " + json);
        return out;
    }

    /** The number of SVG elements that draw data marks inside the element with this id. */
    public static int marksIn(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertTrue(start >= 0, "no element " + id);
        int end = dom.indexOf("</svg>", start);
        assertTrue(end > start, "no SVG chart in " + id);
        String svg = dom.substring(start, end);
        Matcher m = Pattern.compile("class=\"mark-(line|symbol|rule|text)[^\"]*\"").matcher(svg);
        int groups = 0;
        while (m.find()) {
            groups++;
        }
        Matcher paths = Pattern.compile("<path ").matcher(svg);
        int n = 0;
        while (paths.find()) {
            n++;
        }
        return groups == 0 ? 0 : n;
    }
}
