package dev.mi4j.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.experiments.sweep.Csv;
import dev.mi4j.experiments.sweep.RunLayout;
import dev.mi4j.experiments.sweep.SampleRuns;
import dev.mi4j.experiments.sweep.Trial;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    Path tmp;

    static List<String> imgSrcs(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<img\\s[^>]*src=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyImageExistsRelativeToTheRunDirectory() throws Exception {
        Path run = tmp.resolve("my run");
        List<Trial> trials = SampleRuns.hostileSweep(run);
        String html = Files.readString(HtmlReport.write(run));
        List<String> srcs = imgSrcs(html);
        // 18 trials: 12 ok with gallery + 2 reconstructions each, 6 failed (init "boom...") with none;
        // plots: 3 metrics x 3 parameters + cost curves
        assertEquals(12 * 3 + 9 + 1, srcs.size(), srcs.toString());
        for (String src : srcs) {
            assertFalse(src.startsWith("/") || src.contains(":") || src.contains(".."), "relative, inside the run: " + src);
            Path file = run.resolve(URLDecoder.decode(src.replace("&amp;", "&"), StandardCharsets.UTF_8));
            assertTrue(Files.isRegularFile(file), "missing " + file);
            assertNotNull(ImageIO.read(file.toFile()), "not an image: " + file);
        }
        assertTrue(srcs.stream().anyMatch(s -> s.equals("plots/cost_curves.png")));
        assertTrue(srcs.contains(trials.get(0).id() + "/s1/reconstruction.png"));
        // self-contained: no external resources, no link tags
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<link"), "network reference");
    }

    @Test
    void allTextIsEscaped() throws Exception {
        Path run = tmp.resolve("run");
        SampleRuns.hostileSweep(run);
        String html = Files.readString(HtmlReport.write(run));
        assertFalse(html.contains(SampleRuns.HOSTILE), "raw script tag from a parameter value");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertEquals(1, html.split("<script", -1).length - 1, "only the report's own script tag");
        assertFalse(html.contains("<b>"), "markup from values and provenance is escaped");
        assertTrue(html.contains("boom &amp; &lt;b&gt;bang&lt;/b&gt;"));
        // provenance, flattened and escaped
        assertTrue(html.contains("<th>dataset.name</th><td>att_faces</td>"));
        assertTrue(html.contains("<th>layers</th><td>10304, 3000, 40</td>"), "a list of scalars on one line");
        assertTrue(html.contains("&lt;b&gt;mlp&lt;/b&gt; 10304-3000-40"));
        assertTrue(html.contains("x &lt; y &amp; &quot;quoted&quot;"));
        // the failure message is shown, one line
        assertTrue(html.contains("failed: IllegalStateException: exploded at step 3 of "));
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
        Matcher m = Pattern.compile("<tr data-metric=\"" + metric + "\">.*?#trial-([0-9a-f]{12})").matcher(html);
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
        assertEquals(MetricDirection.UNKNOWN, MetricDirection.of("iterations_run"));
        assertEquals(MetricDirection.UNKNOWN, MetricDirection.of("pixel"));
    }

    @Test
    void reportOfAnEmptyRunDirectoryStillRenders() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("empty"));
        String html = Files.readString(HtmlReport.write(run));
        assertTrue(html.contains("0 finished trial(s)"));
        assertTrue(html.contains("id=\"results\""));
    }
}
