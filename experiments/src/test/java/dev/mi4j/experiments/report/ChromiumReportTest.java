package dev.mi4j.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.experiments.sweep.Csv;
import dev.mi4j.experiments.sweep.SampleRuns;
import java.awt.image.BufferedImage;
import java.io.IOException;
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
 * Renders the report of an 18-trial sweep (6 failed, hostile text in a parameter) in headless
 * Chromium with the network cut off: no console message (our scripts log nothing, a fetch would
 * fail loudly), the charts drawn as SVG with data marks, and the page's own #selftest passing
 * (sort by the metric, filter, compare two trials). The test then checks the self-test's figures
 * against results.csv itself. The screenshot is kept in target/report-check/ to look at.
 */
class ChromiumReportTest {

    @TempDir
    Path tmp;

    @Test
    void chartsSortFilterAndCompareWorkInTheBrowser() throws Exception {
        Chromium.assertInstalled();
        Path run = tmp.resolve("run");
        SampleRuns.hostileSweep(run);
        Path report = HtmlReport.write(run);
        String url = report.toUri().toString();

        Path png = Chromium.screenshot(tmp, url, tmp.resolve("screenshot.png"), 1400, 2000);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertNotNull(shot);
        assertEquals(1400, shot.getWidth());
        keep(png, run.resolve("results.csv"));

        String dom = Chromium.dumpDom(tmp, url + "#selftest");
        JsonNode st = Chromium.selfTest(dom);
        // Charts: cost curves, parallel coordinates, one per varying parameter (lr, steps, init).
        assertEquals(5, st.get("charts").size(), st.toString());
        for (JsonNode c : st.get("charts")) {
            assertTrue(c.get("data").asInt() > 0 && c.get("marks").asInt() > 0, "chart drawn with data: " + c);
        }
        // 12 ok trials x 11 points of the fake cost curves
        JsonNode costs = st.get("charts").get(0);
        assertEquals("chart-costs", costs.get("id").asText());
        assertEquals(12 * 11, costs.get("data").asInt());
        assertTrue(Chromium.marksIn(dom, "chart-costs") >= 12, "one line per trial in the SVG");

        List<List<String>> csv = Csv.parse(Files.readString(run.resolve("results.csv")));
        List<String> header = csv.get(0);
        List<List<String>> rows = csv.subList(1, csv.size());
        // The chosen metric (accuracy) sorted descending, failed trials (empty) last.
        assertEquals("accuracy", st.get("sort").get("column").asText());
        List<Double> sorted = new ArrayList<>();
        st.get("sort").get("values").forEach(v -> sorted.add(v.asText().isEmpty() ? Double.NaN : Double.parseDouble(v.asText())));
        List<Double> expected = new ArrayList<>();
        int acc = header.indexOf("accuracy");
        rows.stream().filter(r -> !r.get(acc).isEmpty()).map(r -> Double.parseDouble(r.get(acc)))
                .sorted((a, b) -> Double.compare(b, a)).forEach(expected::add);
        assertEquals(expected, sorted.subList(0, 12));
        assertTrue(sorted.subList(12, 18).stream().allMatch(d -> d.isNaN()));
        // The filter lr=<first trial's lr> shows the rows of results.csv with that lr.
        JsonNode f = st.get("filter");
        String lr = f.get("term").asText().substring("lr=".length());
        long withLr = rows.stream().filter(r -> Double.parseDouble(r.get(header.indexOf("lr"))) == Double.parseDouble(lr)).count();
        assertEquals(withLr, f.get("shown").asLong(), f.toString());
        assertEquals(6, withLr);
        // Compare: two trials side by side, every image loaded.
        JsonNode cmp = st.get("compare");
        assertEquals(2, cmp.get("columns").asInt());
        assertEquals(2, cmp.get("rows").asInt(), "identities s1, s2");
        assertTrue(cmp.get("images").asInt() >= 2 * 2 * 2, cmp.toString());
        assertEquals(cmp.get("images").asInt(), cmp.get("loaded").asInt());
    }

    @Test
    void theUrlFragmentSortsTheTableOnLoad() throws Exception {
        Chromium.assertInstalled();
        Path run = tmp.resolve("run");
        SampleRuns.hostileSweep(run);
        String html = Chromium.dumpDom(tmp, HtmlReport.write(run).toUri() + "#sort=mse:asc");
        assertTrue(html.contains("data-sortable=\"ready\""), "sort script ran");
        assertTrue(html.contains("data-sorted-by=\"mse\""), "table sorted from the URL fragment");
        List<Double> mse = column(html, "mse");
        assertEquals(18, mse.size());
        for (int i = 1; i < 12; i++) {
            assertTrue(mse.get(i - 1) <= mse.get(i), "ascending: " + mse);
        }
        for (int i = 12; i < 18; i++) {
            assertTrue(mse.get(i).isNaN(), "failed trials (empty cells) last: " + mse);
        }
    }

    /** The cells of one column of the results table in DOM order (NaN for empty). */
    static List<Double> column(String html, String name) {
        String table = html.substring(html.indexOf("<table id=\"results\""));
        table = table.substring(0, table.indexOf("</table>"));
        List<String> headers = new ArrayList<>();
        Matcher h = Pattern.compile("<th(?=[\\s>])[^>]*?(?: data-col=\"([^\"]*)\")?[^>]*>").matcher(table.substring(0, table.indexOf("</thead>")));
        while (h.find()) {
            headers.add(h.group(1));
        }
        int col = headers.indexOf(name);
        assertTrue(col > 0, name + " in " + headers);
        List<Double> out = new ArrayList<>();
        Matcher row = Pattern.compile("<tr id=[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(table);
        while (row.find()) {
            Matcher cell = Pattern.compile("<td([^>]*)>").matcher(row.group(1));
            for (int i = 0; i <= col; i++) {
                assertTrue(cell.find());
            }
            Matcher v = Pattern.compile("data-value=\"([^\"]*)\"").matcher(cell.group(1));
            assertTrue(v.find());
            out.add(v.group(1).isEmpty() ? Double.NaN : Double.parseDouble(v.group(1)));
        }
        return out;
    }

    @Test
    void theConsoleCheckCatchesAScriptError() throws Exception {
        Chromium.assertInstalled();
        Path page = tmp.resolve("bad.html");
        Files.writeString(page, "<html><body><script>undefinedFunction();</script></body></html>");
        String err = Chromium.run(tmp, tmp.resolve("out"), "--dump-dom", page.toUri().toString());
        assertTrue(err.contains("CONSOLE") && err.contains("Uncaught ReferenceError"), "stderr: " + err);
    }

    @Test
    void theSelfTestFailsWhenTheChartLibrariesAreMissing() throws Exception {
        Chromium.assertInstalled();
        Path run = tmp.resolve("run");
        SampleRuns.hostileSweep(run);
        String html = Files.readString(HtmlReport.write(run));
        // The same page without vega-embed: the self-test must say so rather than pass.
        String broken = html.replaceFirst("(?s)<script>!function\\(e,t\\)\\{\"object\"==typeof exports&&\"undefined\"!=typeof module\\?module\\.exports=t\\(require\\(\"vega\"\\).*?</script>", "");
        assertTrue(broken.length() < html.length() - 50_000, "vega-embed removed");
        Path page = run.resolve("broken.html");
        Files.writeString(page, broken);
        String dom = Chromium.dumpDom(tmp, page.toUri() + "#selftest");
        assertTrue(dom.contains("<pre id=\"selftest\" data-status=\"fail\">"), "self-test fails without charts");
    }

    /** Keeps the screenshot and CSV under target/report-check/ for a person (or pandas) to look at. */
    private static void keep(Path png, Path csv) throws IOException {
        Path dir = Path.of("target", "report-check");
        Files.createDirectories(dir);
        Files.copy(png, dir.resolve("screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(csv, dir.resolve("results.csv"), StandardCopyOption.REPLACE_EXISTING);
    }
}
