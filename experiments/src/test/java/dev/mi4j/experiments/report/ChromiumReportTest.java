package dev.mi4j.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.experiments.sweep.SampleRuns;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the report in headless Chromium ({@link HeadlessChromium}; fails saying what to install when it is absent):
 * the screenshot must exist, the page must log no console message (our JS logs nothing, so any
 * is an error), and the DOM after load must show the sort script ran: {@code #sort=accuracy:desc}
 * in the URL sorts the table on load. The screenshot is kept in target/report-check/ to look at.
 */
class ChromiumReportTest {

    @TempDir
    Path tmp;

    private static List<String> chromium(Path profile, String... args) {
        return HeadlessChromium.command(profile, args);
    }

    private static String run(List<String> cmd, Path stdout, Path stderr) throws Exception {
        return HeadlessChromium.run(cmd, stdout, stderr);
    }

    @Test
    void rendersWithoutConsoleErrorsAndSortsTheTable() throws Exception {
        HeadlessChromium.require();
        Path run = tmp.resolve("run");
        SampleRuns.hostileSweep(run);
        Path report = HtmlReport.write(run);
        String url = report.toUri().toString();

        Path png = tmp.resolve("screenshot.png");
        String err = run(chromium(tmp.resolve("profile1"), "--screenshot=" + png, "--window-size=1400,2000", url),
                tmp.resolve("shot.out"), tmp.resolve("shot.err"));
        assertNoConsoleMessages(err);
        assertTrue(Files.isRegularFile(png), "screenshot written; stderr: " + err);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertNotNull(shot);
        assertEquals(1400, shot.getWidth());
        keep(png, run.resolve("results.csv"));

        Path dom = tmp.resolve("dom.html");
        err = run(chromium(tmp.resolve("profile2"), "--dump-dom", url + "#sort=accuracy:desc"), dom, tmp.resolve("dom.err"));
        assertNoConsoleMessages(err);
        String html = Files.readString(dom, StandardCharsets.UTF_8);
        assertTrue(html.contains("data-sortable=\"ready\""), "sort script ran");
        assertTrue(html.contains("data-sorted-by=\"accuracy\""), "table sorted from the URL fragment");
        List<Double> acc = accuracyColumn(html);
        assertEquals(18, acc.size());
        for (int i = 1; i < 12; i++) {
            assertTrue(acc.get(i - 1) >= acc.get(i), "descending: " + acc);
        }
        for (int i = 12; i < 18; i++) {
            assertTrue(acc.get(i).isNaN(), "failed trials (empty cells) last: " + acc);
        }
    }

    private static void assertNoConsoleMessages(String stderr) {
        HeadlessChromium.assertNoConsoleMessages(stderr);
    }

    /** The accuracy cells of the results table in DOM order (NaN for empty). */
    private static List<Double> accuracyColumn(String html) {
        String table = html.substring(html.indexOf("<table id=\"results\""));
        table = table.substring(0, table.indexOf("</table>"));
        List<String> headers = new ArrayList<>();
        Matcher h = Pattern.compile("<th data-col=\"([^\"]*)\"").matcher(table);
        while (h.find()) {
            headers.add(h.group(1));
        }
        int col = headers.indexOf("accuracy");
        List<Double> out = new ArrayList<>();
        Matcher row = Pattern.compile("<tr data-trial=[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(table);
        while (row.find()) {
            Matcher cell = Pattern.compile("<td[^>]*data-value=\"([^\"]*)\"").matcher(row.group(1));
            for (int i = 0; i <= col; i++) {
                assertTrue(cell.find());
            }
            out.add(cell.group(1).isEmpty() ? Double.NaN : Double.parseDouble(cell.group(1)));
        }
        return out;
    }

    @Test
    void theConsoleCheckCatchesAScriptError() throws Exception {
        HeadlessChromium.require();
        Path page = tmp.resolve("bad.html");
        Files.writeString(page, "<html><body><script>undefinedFunction();</script></body></html>");
        String err = run(chromium(tmp.resolve("profile"), "--dump-dom", page.toUri().toString()),
                tmp.resolve("out"), tmp.resolve("err"));
        assertTrue(err.contains("CONSOLE") && err.contains("Uncaught ReferenceError"), "stderr: " + err);
    }

    /** Keeps the screenshot and CSV under target/report-check/ for a person (or pandas) to look at. */
    private static void keep(Path png, Path csv) throws IOException {
        Path dir = Path.of("target", "report-check");
        Files.createDirectories(dir);
        Files.copy(png, dir.resolve("screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(csv, dir.resolve("results.csv"), StandardCopyOption.REPLACE_EXISTING);
    }
}
