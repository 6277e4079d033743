package dev.mi4j.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.Json;
import dev.mi4j.experiments.sweep.Csv;
import dev.mi4j.experiments.sweep.ParameterSpace;
import dev.mi4j.experiments.sweep.Strategy;
import dev.mi4j.experiments.sweep.SweepRunner;
import dev.mi4j.experiments.sweep.SweepSpec;
import dev.mi4j.experiments.sweep.TrialGenerator;
import dev.mi4j.experiments.sweep.TrialOutcome;
import dev.mi4j.experiments.sweep.RunLayout;
import dev.mi4j.experiments.sweep.SampleRuns;
import dev.mi4j.experiments.sweep.Trial;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    Path tmp;


    /** The page's data element, parsed. */
    static JsonNode pageData(String html) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "data element");
        return Json.mapper().readTree(m.group(1));
    }

    @Test
    void everyImageExistsRelativeToTheRunDirectoryAndNothingIsFetched() throws Exception {
        Path run = tmp.resolve("my run");
        List<Trial> trials = SampleRuns.hostileSweep(run);
        String html = Files.readString(HtmlReport.write(run));
        JsonNode data = pageData(html);
        List<String> urls = new ArrayList<>();
        for (JsonNode e : data.get("entries")) {
            e.get("galleryPng").forEach(u -> urls.add(u.asText()));
            for (JsonNode id : e.get("identities")) {
                for (String k : List.of("rec", "str", "train", "mean")) {
                    if (!id.get(k).isNull()) {
                        urls.add(id.get(k).asText());
                    }
                }
            }
        }
        Matcher links = Pattern.compile("<a href=\"(plots/[^\"]*)\"").matcher(html);
        int plots = 0;
        while (links.find()) {
            urls.add(links.group(1).replace("&amp;", "&"));
            plots++;
        }
        // 12 ok trials: gallery + 2 reconstructions, each raw and stretched (made by the report);
        // static plots: 3 varying metrics x 3 varying parameters + cost curves
        assertEquals(12 * (1 + 2 * 2) + 9 + 1, urls.size(), urls.toString());
        assertEquals(10, plots);
        for (String src : urls) {
            assertFalse(src.startsWith("/") || src.contains(":") || src.contains(".."), "relative, inside the run: " + src);
            Path file = run.resolve(URLDecoder.decode(src, StandardCharsets.UTF_8));
            assertTrue(Files.isRegularFile(file), "missing " + file);
            assertNotNull(ImageIO.read(file.toFile()), "not an image: " + file);
        }
        assertTrue(urls.contains("plots/cost_curves.png"));
        assertTrue(urls.contains(trials.get(0).id() + "/s1/reconstruction.png"));
        assertTrue(urls.contains(trials.get(0).id() + "/s1/reconstruction-stretched.png"));
        // self-contained: the chart libraries inline with their licences, no external resource
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "network reference");
        assertFalse(html.contains("<link") || html.contains("<script src"), "external stylesheet or script");
        assertTrue(html.contains("Vega 6.2.0, Vega-Lite 6.4.1 and vega-embed 7.1.0") && html.contains("University of Washington Interactive Data Lab"));
        assertTrue(html.contains("vegaEmbed"));
    }

    @Test
    void allTextIsEscaped() throws Exception {
        Path run = tmp.resolve("run");
        SampleRuns.hostileSweep(run);
        String html = Files.readString(HtmlReport.write(run));
        assertFalse(html.contains(SampleRuns.HOSTILE), "raw script tag from a parameter value");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // 5 script elements: the data, vega, vega-lite, vega-embed, the report's own
        assertEquals(5, html.split("<script", -1).length - 1, "only the report's own script tags");
        assertFalse(html.contains("<b>"), "markup from values and provenance is escaped");
        assertTrue(html.contains("boom &amp; &lt;b&gt;bang&lt;/b&gt;"));
        // inside the JSON data, < > & are \\u escapes, and the parsed data holds the text as it was
        JsonNode data = pageData(html);
        assertTrue(html.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
        boolean found = false;
        for (JsonNode e : data.get("entries")) {
            found |= SampleRuns.HOSTILE.equals(e.get("params").get("init").asText());
        }
        assertTrue(found, "the hostile value survives the round trip as text");
        // provenance, flattened and escaped
        assertTrue(html.contains("<th>dataset.name</th><td>att_faces</td>"));
        assertTrue(html.contains("<th>layers</th><td>10304, 3000, 40</td>"), "a list of scalars on one line");
        assertTrue(html.contains("&lt;b&gt;mlp&lt;/b&gt; 10304-3000-40"));
        assertTrue(html.contains("x &lt; y &amp; &quot;quoted&quot;"));
        // the failure message is shown, one line
        assertTrue(html.contains("IllegalStateException: exploded at step 3 of "));
    }

    @Test
    void numbersAreShownAtFourSignificantDigitsWithTheFullValueKept() throws Exception {
        Path run = tmp.resolve("run");
        SampleRuns.hostileSweep(run);
        String html = Files.readString(HtmlReport.write(run));
        Matcher cell = Pattern.compile("<td class=\"num\" data-value=\"([^\"]*)\"(?: title=\"([^\"]*)\")?>([^<]*)</td>").matcher(html);
        int long_ = 0;
        int cells = 0;
        while (cell.find()) {
            cells++;
            String full = cell.group(1);
            String shown = cell.group(3);
            assertEquals(TextTable.significant(Double.parseDouble(full)), shown, "shown value of " + full);
            assertTrue(shown.replaceAll("[^0-9]", "").replaceFirst("^0+", "").length() <= 4 || !shown.contains("."), shown);
            if (!shown.equals(full)) {
                long_++;
                assertEquals(full, cell.group(2), "the full value on hover");
            }
        }
        assertTrue(cells > 18 * 3, "numeric cells: " + cells);
        assertTrue(long_ > 0, "some values were rounded for display");
        assertEquals("0.9667", TextTable.significant(0.9666666666666667));
        assertEquals("0.1494", TextTable.significant(0.14938188384950407));
        assertEquals("3668", TextTable.significant(3668.0));
        assertEquals("146773", TextTable.significant(146773L));
        assertEquals("24.2", TextTable.significant(24.2));
        assertEquals("1.235e-05", TextTable.significant(1.2345e-5));
        assertEquals("0.001", TextTable.significant(0.001));
        assertEquals("", TextTable.significant(Double.NaN));
    }

    @Test
    void onlyVaryingParametersAndMetricsBecomeColumnsAndCharts() throws Exception {
        Path run = tmp.resolve("run");
        LinkedHashMap<String, ParameterSpace> spaces = new LinkedHashMap<>();
        spaces.put("lambda", ParameterSpace.values(List.of(0.1, 1.0)));
        spaces.put("init", ParameterSpace.values(List.of("zeros")));
        List<Trial> trials = TrialGenerator.generate(new SweepSpec(spaces, Strategy.GRID, 0, 0), "constant-test");
        new SweepRunner(run, (trial, dir) -> {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            double lambda = ((Number) trial.params().get("lambda")).doubleValue();
            m.put("test_accuracy", 0.9666666666666667);   // the target's: the same in every trial
            m.put("top1_accuracy", lambda / 2);
            m.put("iterations_run", 100 * lambda);        // varies, direction unknown
            return TrialOutcome.ok(m, 1, 1);
        }, 1, true).run(trials);
        String html = Files.readString(HtmlReport.write(run));
        JsonNode data = pageData(html);
        assertEquals(List.of("lambda"), names(data.get("varying")));
        assertEquals(List.of("top1_accuracy", "iterations_run"), names(data.get("metrics")));
        assertEquals("top1_accuracy", data.get("defaultMetric").asText());
        assertTrue(html.contains("<p class=\"meta\" id=\"constants\">Same in every trial (not repeated below): init=zeros; metrics test_accuracy=0.9667.</p>"), html);
        String header = html.substring(html.indexOf("<table id=\"results\""), html.indexOf("</thead>", html.indexOf("<table id=\"results\"")));
        assertTrue(header.contains("data-col=\"lambda\"") && header.contains("data-col=\"top1_accuracy\""));
        assertFalse(header.contains("data-col=\"init\"") || header.contains("data-col=\"test_accuracy\""), header);
        // best table: only the ranked metric that varies; the unranked one is named below it
        assertTrue(html.contains("<tr data-metric=\"top1_accuracy\">"));
        assertFalse(html.contains("<tr data-metric=\"test_accuracy\">") || html.contains("<tr data-metric=\"iterations_run\">"));
        assertTrue(html.contains("Not ranked (no known better direction): iterations_run."));
        // static PNGs: 2 varying metrics x 1 varying parameter
        assertEquals(2, html.split("<li><a href=\"plots/", -1).length - 1);
        assertTrue(Files.isRegularFile(run.resolve("plots").resolve("top1_accuracy-vs-lambda.png")));
        assertFalse(Files.exists(run.resolve("plots").resolve("test_accuracy-vs-lambda.png")));
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void bestTrialPerMetricFollowsTheMetricsDirection() throws Exception {
        Path run = tmp.resolve("run");
        SampleRuns.hostileSweep(run);
        String html = Files.readString(HtmlReport.write(run));
        List<List<String>> rows = Csv.parse(Files.readString(run.resolve(RunLayout.RESULTS)));
        List<String> header = rows.get(0);
        assertBest(html, rows, header.indexOf("accuracy"), "accuracy", true);
        assertBest(html, rows, header.indexOf("mse"), "mse", false);
        assertBest(html, rows, header.indexOf("psnr"), "psnr", true);
    }

    private static void assertBest(String html, List<List<String>> rows, int col, String metric, boolean higher) {
        String bestId = null;
        double best = Double.NaN;
        for (List<String> r : rows.subList(1, rows.size())) {
            if (r.get(col).isEmpty() || !r.get(rows.get(0).indexOf("status")).equals("ok")) {
                continue;
            }
            double v = Double.parseDouble(r.get(col));
            if (bestId == null || (higher ? v > best : v < best)) {
                best = v;
                bestId = r.get(0);
            }
        }
        Matcher m = Pattern.compile("<tr data-metric=\"" + metric + "\">.*?#row-([0-9a-f]{12})").matcher(html);
        assertTrue(m.find(), "best row for " + metric);
        assertEquals(bestId, m.group(1), "best trial for " + metric);
    }

    @Test
    void metricDirectionsFromNames() {
        assertEquals(MetricDirection.HIGHER_IS_BETTER, MetricDirection.of("accuracy"));
        assertEquals(MetricDirection.HIGHER_IS_BETTER, MetricDirection.of("attack_accuracy_top1"));
        assertEquals(MetricDirection.HIGHER_IS_BETTER, MetricDirection.of("ssim_nearest"));
        assertEquals(MetricDirection.HIGHER_IS_BETTER, MetricDirection.of("mean_psnr"));
        assertEquals(MetricDirection.HIGHER_IS_BETTER, MetricDirection.of("mean_p"));
        assertEquals(MetricDirection.HIGHER_IS_BETTER, MetricDirection.of("success_rate"));
        assertEquals(MetricDirection.LOWER_IS_BETTER, MetricDirection.of("mse"));
        assertEquals(MetricDirection.LOWER_IS_BETTER, MetricDirection.of("featureDistance"));
        assertEquals(MetricDirection.LOWER_IS_BETTER, MetricDirection.of("best_cost"));
        assertEquals(MetricDirection.LOWER_IS_BETTER, MetricDirection.of("error_rate"));
        assertEquals(MetricDirection.HIGHER_IS_BETTER, MetricDirection.of("meanTruePLabel"), "a study's metrics.json names");
        assertEquals(MetricDirection.HIGHER_IS_BETTER, MetricDirection.of("meanEvalPTarget"));
        assertEquals(MetricDirection.LOWER_IS_BETTER, MetricDirection.of("meanFeatureDistanceNearest"));
        assertEquals(MetricDirection.LOWER_IS_BETTER, MetricDirection.of("modelQueries"));
        assertEquals(MetricDirection.UNKNOWN, MetricDirection.of("iterations_run"));
        assertEquals(MetricDirection.UNKNOWN, MetricDirection.of("pixel"));
    }

    @Test
    void reportOfAnEmptyRunDirectoryStillRenders() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("empty"));
        String html = Files.readString(HtmlReport.write(run));
        assertTrue(html.contains("0 finished trial(s)"), html);
        assertTrue(html.contains("id=\"results\""));
    }
}
