package dev.mi4j.experiments.report;

import static dev.mi4j.experiments.report.Html.esc;
import static dev.mi4j.experiments.report.Html.href;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.experiments.sweep.ResultsTable;
import dev.mi4j.experiments.sweep.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runDir/report.html}: one self-contained, interactive page for a run folder of
 * {@code mi4j sweep} (one entry per trial) or {@code mi4j reproduce} (one entry per inversion
 * run), read through {@link RunData}. Everything the page needs is inside the one file: CSS, the
 * page's script, the data as JSON, and the charting libraries (Vega, Vega-Lite, vega-embed,
 * pinned and inlined with their licences, see {@link Html#chartLibraries}); images are linked by
 * relative paths, so the run folder can be moved or zipped whole, and nothing is fetched from the
 * network.
 *
 * <p>Sections: what is the same in every trial; the best trial per metric (only metrics that vary
 * and whose direction {@link MetricDirection} knows); the results table at reading precision
 * ({@link TextTable#significant}; the full numbers stay in {@code data-value}, CSV and JSON) with
 * sorting, a filter and a "compare" tick per trial; charts (cost curves with hover, legend toggles
 * and zoom; a chosen metric against each varying parameter; parallel coordinates of the varying
 * parameters and the metric); a compare view (identities as rows, ticked trials as columns, raw or
 * contrast-stretched); a paginated gallery per trial (private image, identity mean, reconstruction
 * raw and contrast-stretched, with p_label, the evaluator's top-1 guess and SSIM); static PNG
 * charts drawn by XChart ({@link ReportPlots}) for papers; the target provenance. Every text from
 * configs, CSV or JSON is HTML-escaped (or JSON-escaped inside the data element).
 *
 * <p>The URL fragment drives the page for tests and links: {@code #sort=<column>:asc|desc} sorts
 * the table on load; {@code #selftest} runs the page's own check once the charts are drawn (sort,
 * filter, compare two trials, charts have marks) and writes the outcome into
 * {@code <pre id="selftest">}.
 */
public final class HtmlReport {

    public static final String FILE = "report.html";
    public static final String PROVENANCE = "target.provenance.json";
    /** Points per cost curve in the page, at most (longer curves are thinned evenly, last point kept). */
    static final int MAX_CURVE_POINTS = 400;

    private static final Logger LOG = LoggerFactory.getLogger(HtmlReport.class);

    private HtmlReport() {
    }

    /** Writes the report (and its static charts) into the run directory; returns the report's path. */
    public static Path write(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("runDir: " + runDir + " is not a directory");
        }
        RunData data = RunData.load(runDir);
        for (RunData.Entry e : data.entries()) {
            InversionFiles.ensureStretched(runDir.resolve(e.folder()));
        }
        ReportPlots plots = new ReportPlots(runDir);
        List<ReportPlots.Plot> charts = plots.metricVsParameter(data);
        Optional<ReportPlots.Plot> curves = plots.costCurves(data);

        StringBuilder h = new StringBuilder(1 << 20);
        String name = String.valueOf(runDir.toAbsolutePath().normalize().getFileName());
        String title = "mi4j " + data.kind() + ": " + name;
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(Html.css())
                .append("</style>\n</head>\n<body>\n");
        long failed = data.entries().stream().filter(RunData.Entry::failed).count();
        String unit = RunData.SWEEP.equals(data.kind()) ? "trial(s)" : "run(s)";
        h.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"meta\">").append(data.entries().size())
                .append(" finished ").append(unit).append(", ").append(failed).append(" failed. Data: ");
        List<String> links = new ArrayList<>();
        for (String f : List.of(RunLayout.RESULTS, "summary.json", "summary.txt")) {
            if (Files.isRegularFile(runDir.resolve(f))) {
                links.add("<a href=\"" + href(f) + "\">" + esc(f) + "</a>");
            }
        }
        h.append(links.isEmpty() ? "none" : String.join(", ", links)).append(" (full precision).</p>\n");
        h.append("<nav class=\"toc\"><a href=\"#sec-results\">results</a> <a href=\"#sec-charts\">charts</a> ")
                .append("<a href=\"#sec-compare\">compare</a> <a href=\"#sec-galleries\">galleries</a>")
                .append(Files.isRegularFile(runDir.resolve(PROVENANCE)) ? " <a href=\"#sec-provenance\">provenance</a>" : "")
                .append("</nav>\n");
        constants(h, data);
        best(h, data);
        results(h, data);
        charts(h, charts, curves);
        h.append("<h2 id=\"sec-compare\">Compare trials</h2>\n<p class=\"meta\">Tick two or more ").append(unit)
                .append(" in the results table's <em>compare</em> column: their reconstructions appear side by side, one row per identity.")
                .append(" <em>Contrast-stretched</em> images are rescaled linearly so their darkest pixel is black and their")
                .append(" brightest white (reconstructions from a zero start are often nearly black when shown raw).</p>\n")
                .append("<div class=\"controls\"><label>show <select id=\"compare-mode\"><option value=\"both\">raw and contrast-stretched</option>")
                .append("<option value=\"raw\">raw</option><option value=\"str\">contrast-stretched</option></select></label>")
                .append(" <span class=\"pager\" id=\"compare-pager\"></span></div>\n<div id=\"compare\"></div>\n");
        h.append("<h2 id=\"sec-galleries\">Galleries</h2>\n<p class=\"meta\">Per identity: a private training image, the identity's")
                .append(" mean image, the reconstruction as the attack returned it (raw) and contrast-stretched; under them p_label")
                .append(" (the target's confidence the attack reached), the evaluation model's top-1 guess and SSIM to the")
                .append(" nearest private training image.</p>\n<div class=\"controls\"><label>")
                .append(RunData.SWEEP.equals(data.kind()) ? "trial" : "run")
                .append(" <select id=\"gallery-entry\"></select></label> <span class=\"pager\" id=\"gallery-pager\"></span>")
                .append(" <span id=\"gallery-png\"></span></div>\n<div id=\"gallery\"></div>\n");
        provenance(h, runDir.resolve(PROVENANCE));
        h.append("<script type=\"application/json\" id=\"report-data\">").append(Html.scriptJson(pageData(runDir, data)))
                .append("</script>\n");
        h.append(Html.chartLibraries());
        h.append("<script>\n").append(Html.resource("report.js")).append("</script>\n</body>\n</html>\n");
        Path out = runDir.resolve(FILE);
        AtomicFiles.writeString(out, h.toString());
        LOG.info("report written to {}", out);
        return out;
    }

    /** The parameters and metrics that are the same in every entry, on two lines instead of columns. */
    private static void constants(StringBuilder h, RunData data) {
        if (data.entries().size() < 2) {
            return;
        }
        List<String> params = new ArrayList<>();
        for (String p : data.constantParameters()) {
            params.add(esc(p) + "=" + esc(display(data.entries().get(0).params().get(p))));
        }
        List<String> varying = data.varyingMetrics();
        List<String> metrics = new ArrayList<>();
        for (String m : data.numericMetrics()) {
            if (!varying.contains(m)) {
                Object v = data.entries().stream().filter(e -> !e.failed()).map(e -> e.metrics().get(m))
                        .filter(x -> RunData.finite(x) != null).findFirst().orElse(null);
                metrics.add(esc(m) + "=" + esc(display(v)));
            }
        }
        if (!params.isEmpty() || !metrics.isEmpty()) {
            h.append("<p class=\"meta\" id=\"constants\">Same in every ").append(RunData.SWEEP.equals(data.kind()) ? "trial" : "run")
                    .append(" (not repeated below): ").append(String.join(", ", params));
            if (!metrics.isEmpty()) {
                h.append(params.isEmpty() ? "" : "; ").append("metrics ").append(String.join(", ", metrics));
            }
            h.append(".</p>\n");
        }
    }

    /** A parameter or metric value for reading: numbers at 4 significant digits, other values as text. */
    static String display(Object v) {
        if (v instanceof Double || v instanceof Float) {
            return TextTable.significant((Number) v);
        }
        return ResultsTable.cell(v);
    }

    private static void charts(StringBuilder h, List<ReportPlots.Plot> charts, Optional<ReportPlots.Plot> curves) {
        h.append("<h2 id=\"sec-charts\">Charts</h2>\n<div class=\"controls\"><label>metric <select id=\"metric\"></select></label>")
                .append(" <span class=\"meta\">Hover a mark for its trial; click a legend entry to show one curve (shift-click for more,")
                .append(" double-click the chart to reset); drag to pan and scroll to zoom the cost curves.</span></div>\n")
                .append("<div id=\"chart-costs\" class=\"chart\"></div>\n<div id=\"chart-parallel\" class=\"chart\"></div>\n")
                .append("<div id=\"chart-params\" class=\"charts\"></div>\n");
        if (!charts.isEmpty() || curves.isPresent()) {
            h.append("<details class=\"static-plots\"><summary>Static PNG charts (for papers and the command line)</summary>\n<ul>\n");
            curves.ifPresent(p -> link(h, p));
            charts.forEach(p -> link(h, p));
            h.append("</ul>\n</details>\n");
        }
    }

    private static void link(StringBuilder h, ReportPlots.Plot p) {
        h.append("<li><a href=\"").append(href(p.relativePath().split("/"))).append("\">").append(esc(p.caption()))
                .append("</a></li>\n");
    }

    /** The JSON the page's script reads: entries, directions, cost curves, galleries. */
    private static Map<String, Object> pageData(Path runDir, RunData data) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", data.kind());
        d.put("varying", data.varyingParameters());
        List<String> metrics = data.varyingMetrics();
        d.put("metrics", metrics);
        Map<String, String> directions = new LinkedHashMap<>();
        metrics.forEach(m -> directions.put(m, MetricDirection.of(m).name().toLowerCase(java.util.Locale.ROOT)));
        d.put("directions", directions);
        d.put("defaultMetric", defaultMetric(metrics));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < data.entries().size(); i++) {
            RunData.Entry e = data.entries().get(i);
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", e.id());
            x.put("label", e.label());
            x.put("status", e.status());
            x.put("params", e.params());
            x.put("metrics", e.metrics());
            double[][] curve = curve(runDir.resolve(e.folder()).resolve(ReportPlots.COST_CURVE));
            if (curve != null) {
                x.put("curve", curve);
            }
            List<Map<String, Object>> ids = new ArrayList<>();
            for (InversionFiles.Identity id : InversionFiles.identities(runDir, e.folder())) {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("name", id.name());
                g.put("rec", Html.urlOfPath(id.reconstruction()));
                g.put("str", Html.urlOfPath(id.stretched()));
                g.put("train", Html.urlOfPath(id.training()));
                g.put("mean", Html.urlOfPath(id.mean()));
                g.put("p", id.p());
                g.put("it", id.iterations());
                g.put("top1", id.top1());
                g.put("ok", id.top1Correct());
                g.put("ssim", id.ssim());
                ids.add(g);
            }
            x.put("identities", ids);
            List<String> pngs = new ArrayList<>();
            Path dir = runDir.resolve(e.folder());
            for (int k = 1; ; k++) {
                String f = k == 1 ? "gallery.png" : "gallery-p" + k + ".png";
                if (!Files.isRegularFile(dir.resolve(f))) {
                    break;
                }
                pngs.add(Html.urlOfPath(e.folder() + "/" + f));
            }
            x.put("galleryPng", pngs);
            entries.add(x);
        }
        d.put("entries", entries);
        return d;
    }

    /** The metric the charts start on: attack accuracy by the evaluator if it varies, else the first ranked one. */
    static String defaultMetric(List<String> metrics) {
        for (String preferred : List.of("top1_accuracy", "top1Accuracy", "mean_best_p", "ssim_mean", "meanSsimMean")) {
            if (metrics.contains(preferred)) {
                return preferred;
            }
        }
        return metrics.stream().filter(m -> MetricDirection.of(m) != MetricDirection.UNKNOWN).findFirst()
                .orElse(metrics.isEmpty() ? null : metrics.get(0));
    }

    /** A cost curve thinned to at most {@value #MAX_CURVE_POINTS} points, as [[x, y], ...]; null without one. */
    private static double[][] curve(Path csv) {
        if (!Files.isRegularFile(csv)) {
            return null;
        }
        double[][] c = ReportPlots.readCurve(csv);
        if (c == null || c[0].length == 0) {
            return null;
        }
        int n = c[0].length;
        int step = Math.max(1, (n + MAX_CURVE_POINTS - 1) / MAX_CURVE_POINTS);
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < n; i += step) {
            pts.add(new double[] {c[0][i], c[1][i]});
        }
        if ((n - 1) % step != 0) {
            pts.add(new double[] {c[0][n - 1], c[1][n - 1]});
        }
        return pts.toArray(new double[0][]);
    }

    private static void provenance(StringBuilder h, Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Map<String, String> flat = new LinkedHashMap<>();
        try {
            flatten("", Json.mapper().readTree(file.toFile()), flat);
        } catch (IOException e) {
            LOG.warn("{} is unreadable ({}); provenance omitted", file, e.getMessage());
            flat.put("error", "unreadable " + PROVENANCE + ": " + e.getMessage());
        }
        h.append("<h2 id=\"sec-provenance\">Target provenance</h2>\n<table id=\"provenance\">\n<tbody>\n");
        flat.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
        h.append("</tbody>\n</table>\n");
    }

    /**
     * A JSON document as key/value rows for a provenance table: nested keys joined with '.', list
     * items as [i], lists of plain values on one line. Shared by the run and audit reports.
     */
    public static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.put(prefix, "[]");
            }
            boolean scalars = true;
            for (JsonNode item : node) {
                scalars &= item.isValueNode();
            }
            if (scalars && !node.isEmpty()) {
                // A list of names or numbers reads best on one line (40 class names, not 40 rows).
                StringBuilder joined = new StringBuilder();
                for (JsonNode item : node) {
                    joined.append(joined.length() == 0 ? "" : ", ").append(item.isNull() ? "" : item.asText());
                }
                out.put(prefix, joined.toString());
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(prefix.isEmpty() ? "value" : prefix, node.isNull() ? "" : node.asText());
        }
    }

    private static void best(StringBuilder h, RunData data) {
        List<String> ranked = new ArrayList<>();
        List<String> unranked = new ArrayList<>();
        for (String m : data.varyingMetrics()) {
            (MetricDirection.of(m) == MetricDirection.UNKNOWN ? unranked : ranked).add(m);
        }
        if (ranked.isEmpty() || data.entries().size() < 2) {
            return;
        }
        String unit = RunData.SWEEP.equals(data.kind()) ? "trial" : "run";
        h.append("<h2 id=\"sec-best\">Best ").append(unit).append(" per metric</h2>\n<table id=\"best\">\n<thead><tr><th>metric</th><th>direction</th>")
                .append("<th>best value</th><th>").append(unit).append("</th></tr></thead>\n<tbody>\n");
        for (String m : ranked) {
            MetricDirection dir = MetricDirection.of(m);
            RunData.Entry bestRow = null;
            double bestValue = Double.NaN;
            for (RunData.Entry r : data.entries()) {
                Double v = RunData.finite(r.metrics().get(m));
                if (!r.failed() && v != null && (bestRow == null || dir.better(v, bestValue))) {
                    bestRow = r;
                    bestValue = v;
                }
            }
            h.append("<tr data-metric=\"").append(esc(m)).append("\"><td>").append(esc(m)).append("</td><td>")
                    .append(esc(dir.label())).append("</td>");
            if (bestRow == null) {
                h.append("<td></td><td></td></tr>\n");
                continue;
            }
            h.append("<td class=\"num\" data-value=\"").append(esc(ResultsTable.cell(bestValue))).append("\" title=\"")
                    .append(esc(ResultsTable.cell(bestValue))).append("\">").append(Html.number(bestValue)).append("</td><td><a href=\"#row-").append(esc(bestRow.id())).append("\">")
                    .append(esc(bestRow.label())).append("</a></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        if (!unranked.isEmpty()) {
            h.append("<p class=\"meta\">Not ranked (no known better direction): ").append(esc(String.join(", ", unranked)))
                    .append(".</p>\n");
        }
    }

    private static void results(StringBuilder h, RunData data) {
        boolean many = data.entries().size() >= 2;
        List<String> params = data.varyingParameters();
        List<String> metrics = many ? data.varyingMetrics() : data.metrics();
        boolean anyFailed = data.entries().stream().anyMatch(RunData.Entry::failed);
        String idCol = RunData.SWEEP.equals(data.kind()) ? "trial_id" : "run";
        h.append("<h2 id=\"sec-results\">Results</h2>\n<div class=\"controls\"><label>filter <input id=\"filter\" type=\"search\" size=\"40\"")
                .append(" placeholder=\"text, or column=value, column&gt;number, column&lt;number\"></label>")
                .append(" <span id=\"filter-count\" class=\"meta\"></span> <span class=\"meta\">Click a column header to sort.")
                .append(" Numbers are rounded to 4 significant digits; hover a cell for its full value.</span></div>\n")
                .append("<div class=\"scroll\">\n<table id=\"results\" class=\"sortable\">\n<thead><tr><th class=\"nosort\">compare</th>");
        List<String> header = new ArrayList<>();
        header.add(idCol);
        header.addAll(params);
        metrics.forEach(m -> header.add(params.contains(m) || m.equals(idCol) ? "metric:" + m : m));
        if (anyFailed) {
            header.add("status");
        }
        header.add("queries");
        header.add("millis");
        if (anyFailed) {
            header.add("message");
        }
        for (String col : header) {
            // long metric names may break after an underscore rather than widen the table
            h.append("<th data-col=\"").append(esc(col)).append("\">").append(esc(col).replace("_", "_<wbr>")).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < data.entries().size(); i++) {
            RunData.Entry r = data.entries().get(i);
            List<Object> cells = new ArrayList<>();
            cells.add(r.id());
            params.forEach(p -> cells.add(r.params().get(p)));
            metrics.forEach(m -> cells.add(r.metrics().get(m)));
            if (anyFailed) {
                cells.add(r.status());
            }
            cells.add(r.queries());
            cells.add(r.millis());
            if (anyFailed) {
                cells.add(r.message() == null ? "" : r.message());
            }
            h.append("<tr id=\"row-").append(esc(r.id())).append("\" data-trial=\"").append(esc(r.id())).append("\" data-index=\"")
                    .append(i).append('"').append(r.failed() ? " class=\"failed\"" : "").append('>');
            h.append("<td><input type=\"checkbox\" class=\"cmp\" data-index=\"").append(i).append("\"")
                    .append(r.failed() ? " disabled" : "").append(" aria-label=\"compare ").append(esc(r.label())).append("\"></td>");
            for (int c = 0; c < cells.size(); c++) {
                Object v = cells.get(c);
                String full = ResultsTable.cell(v);
                boolean num = v instanceof Number && !full.isEmpty();
                h.append("<td").append(num ? " class=\"num\"" : "").append(" data-value=\"").append(esc(full)).append('"');
                String shown = display(v);
                if (num && !shown.equals(full)) {
                    h.append(" title=\"").append(esc(full)).append('"');
                }
                h.append('>');
                if (c == 0) {
                    h.append("<code>").append(esc(full)).append("</code>");
                } else {
                    h.append(esc(shown));
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</div>\n");
    }

    /** "s2" before "s10": digits compare as numbers. */
    static int naturalOrder(String a, String b) {
        String[] pa = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        String[] pb = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c;
            if (pa[i].chars().allMatch(Character::isDigit) && pb[i].chars().allMatch(Character::isDigit)
                    && pa[i].length() < 18 && pb[i].length() < 18) {
                c = Long.compare(Long.parseLong(pa[i]), Long.parseLong(pb[i]));
            } else {
                c = pa[i].compareTo(pb[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return pa.length != pb.length ? Integer.compare(pa.length, pb.length) : a.compareTo(b);
    }
}
