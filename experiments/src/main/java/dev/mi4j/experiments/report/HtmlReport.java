package dev.mi4j.experiments.report;

import static dev.mi4j.experiments.report.Html.esc;
import static dev.mi4j.experiments.report.Html.href;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.experiments.sweep.ResultsTable;
import dev.mi4j.experiments.sweep.RunLayout;
import dev.mi4j.experiments.sweep.TrialRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runDir/report.html}: one self-contained page (inline CSS and JS, no network) for a sweep
 * run directory. Sections: target provenance (from {@code target.provenance.json}, if present),
 * best trial per metric (direction from {@link MetricDirection}), the sortable results table,
 * metric-vs-parameter charts and cost curves (PNG files in {@code plots/}), and a gallery per
 * trial ({@code gallery.png} and {@code <target>/reconstruction.png} in the trial folder). Images
 * are linked by relative paths, so the run directory can be moved or zipped whole. Every text
 * from configs, CSV or JSON is HTML-escaped.
 */
public final class HtmlReport {

    public static final String FILE = "report.html";
    public static final String PROVENANCE = "target.provenance.json";
    /** Per-target reconstructions shown per trial, at most. */
    static final int MAX_THUMBS = 64;

    private static final Logger LOG = LoggerFactory.getLogger(HtmlReport.class);

    private HtmlReport() {
    }

    /** Writes the report (and its charts) into the run directory; returns the report's path. */
    public static Path write(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("runDir: " + runDir + " is not a directory");
        }
        ResultsTable table = ResultsTable.load(runDir);
        List<String> numericMetrics = table.metrics().stream()
                .filter(m -> table.rows().stream().anyMatch(r -> ReportPlots.finite(r.metrics().get(m)) != null)).toList();
        ReportPlots plots = new ReportPlots(runDir);
        List<ReportPlots.Plot> charts = plots.metricVsParameter(table, numericMetrics);
        Optional<ReportPlots.Plot> curves = plots.costCurves(table);

        StringBuilder h = new StringBuilder(64 * 1024);
        String title = "mi4j sweep: " + runDir.toAbsolutePath().normalize().getFileName();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(resource("report.css"))
                .append("</style>\n</head>\n<body>\n");
        long failed = table.rows().stream().filter(TrialRecord::failed).count();
        h.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"meta\">").append(table.rows().size())
                .append(" finished trial(s), ").append(failed).append(" failed. Data: <a href=\"")
                .append(href(RunLayout.RESULTS)).append("\">").append(esc(RunLayout.RESULTS)).append("</a></p>\n");
        // What a reader looks for first comes first; the long provenance table closes the page.
        best(h, table, numericMetrics);
        results(h, table);
        if (!charts.isEmpty() || curves.isPresent()) {
            h.append("<h2>Plots</h2>\n<div class=\"plots\">\n");
            curves.ifPresent(p -> figure(h, p));
            charts.forEach(p -> figure(h, p));
            h.append("</div>\n");
        }
        galleries(h, runDir, table);
        provenance(h, runDir.resolve(PROVENANCE));
        h.append("<script>\n").append(resource("report.js")).append("</script>\n</body>\n</html>\n");
        Path out = runDir.resolve(FILE);
        AtomicFiles.writeString(out, h.toString());
        LOG.info("report written to {}", out);
        return out;
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
        h.append("<h2>Target provenance</h2>\n<table id=\"provenance\">\n<tbody>\n");
        flat.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
        h.append("</tbody>\n</table>\n");
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
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

    private static void best(StringBuilder h, ResultsTable table, List<String> numericMetrics) {
        if (numericMetrics.isEmpty()) {
            return;
        }
        h.append("<h2>Best trial per metric</h2>\n<table id=\"best\">\n<thead><tr><th>metric</th><th>direction</th>")
                .append("<th>best value</th><th>trial</th><th>parameters</th></tr></thead>\n<tbody>\n");
        for (String m : numericMetrics) {
            MetricDirection dir = MetricDirection.of(m);
            TrialRecord bestRow = null;
            double bestValue = Double.NaN;
            if (dir != MetricDirection.UNKNOWN) {
                for (TrialRecord r : table.rows()) {
                    Double v = ReportPlots.finite(r.metrics().get(m));
                    if (!r.failed() && v != null && (bestRow == null || dir.better(v, bestValue))) {
                        bestRow = r;
                        bestValue = v;
                    }
                }
            }
            h.append("<tr data-metric=\"").append(esc(m)).append("\"><td>").append(esc(m)).append("</td><td>")
                    .append(esc(dir.label())).append("</td>");
            if (bestRow == null) {
                h.append("<td></td><td></td><td></td></tr>\n");
                continue;
            }
            h.append("<td class=\"num\">").append(esc(ResultsTable.cell(bestValue))).append("</td><td><a href=\"#trial-")
                    .append(esc(bestRow.trialId())).append("\"><code>").append(esc(bestRow.trialId())).append("</code></a></td><td>");
            TrialRecord row = bestRow;
            List<String> parts = new ArrayList<>();
            table.parameters().forEach(p -> parts.add(esc(p) + "=" + esc(ResultsTable.cell(row.params().get(p)))));
            h.append(String.join(", ", parts)).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void results(StringBuilder h, ResultsTable table) {
        h.append("<h2>Results</h2>\n<p class=\"meta\">Click a column header to sort.</p>\n")
                .append("<table id=\"results\" class=\"sortable\">\n<thead><tr>");
        List<String> header = table.header();
        for (String col : header) {
            h.append("<th data-col=\"").append(esc(col)).append("\">").append(esc(col)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (TrialRecord r : table.rows()) {
            List<String> cells = table.cells(r);
            h.append("<tr data-trial=\"").append(esc(r.trialId())).append('"').append(r.failed() ? " class=\"failed\"" : "").append('>');
            for (int i = 0; i < cells.size(); i++) {
                String c = cells.get(i);
                boolean num = !c.isEmpty() && isNumber(c);
                h.append("<td").append(num ? " class=\"num\"" : "").append(" data-value=\"").append(esc(c)).append("\">");
                if (i == 0) {
                    h.append("<a href=\"#trial-").append(esc(c)).append("\"><code>").append(esc(c)).append("</code></a>");
                } else {
                    h.append(esc(c));
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void figure(StringBuilder h, ReportPlots.Plot p) {
        String[] segs = p.relativePath().split("/");
        h.append("<figure><img src=\"").append(href(segs)).append("\" alt=\"").append(esc(p.caption()))
                .append("\"><figcaption>").append(esc(p.caption())).append("</figcaption></figure>\n");
    }

    private static void galleries(StringBuilder h, Path runDir, ResultsTable table) {
        h.append("<h2>Galleries</h2>\n");
        for (TrialRecord r : table.rows()) {
            Path dir = RunLayout.trialDir(runDir, r.trialId());
            h.append("<div class=\"trial\" id=\"trial-").append(esc(r.trialId())).append("\">\n<h3><code>")
                    .append(esc(r.trialId())).append("</code> ");
            List<String> parts = new ArrayList<>();
            table.parameters().forEach(p -> parts.add(esc(p) + "=" + esc(ResultsTable.cell(r.params().get(p)))));
            h.append(String.join(", ", parts)).append(" &mdash; ").append(esc(r.status()));
            if (r.message() != null) {
                h.append(": ").append(esc(r.message()));
            }
            h.append("</h3>\n");
            if (Files.isRegularFile(dir.resolve("gallery.png"))) {
                h.append("<img class=\"gallery-img\" src=\"").append(href(r.trialId(), "gallery.png"))
                        .append("\" alt=\"gallery of trial ").append(esc(r.trialId())).append("\">\n");
            }
            List<String> targets = reconstructionDirs(dir);
            if (!targets.isEmpty()) {
                h.append("<div class=\"gallery thumbs\">\n");
                for (String t : targets.subList(0, Math.min(MAX_THUMBS, targets.size()))) {
                    h.append("<figure><img src=\"").append(href(r.trialId(), t, "reconstruction.png")).append("\" alt=\"")
                            .append(esc(t)).append("\"><figcaption>").append(esc(t)).append("</figcaption></figure>\n");
                }
                if (targets.size() > MAX_THUMBS) {
                    h.append("<p class=\"meta\">").append(targets.size() - MAX_THUMBS).append(" more in the trial folder.</p>\n");
                }
                h.append("</div>\n");
            }
            h.append("</div>\n");
        }
    }

    /** Sub-folders of a trial folder that hold a reconstruction.png, in name order. */
    private static List<String> reconstructionDirs(Path trialDir) {
        if (!Files.isDirectory(trialDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(trialDir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("reconstruction.png")))
                    .map(p -> p.getFileName().toString()).sorted(HtmlReport::naturalOrder).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + trialDir + ": " + e.getMessage(), e);
        }
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

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report resource " + name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read report resource " + name, e);
        }
    }
}
