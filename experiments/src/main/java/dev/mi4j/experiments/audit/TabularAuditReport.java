package dev.mi4j.experiments.audit;

import static dev.mi4j.experiments.audit.AuditReport.badge;
import static dev.mi4j.experiments.audit.AuditReport.num;
import static dev.mi4j.experiments.report.Html.esc;
import static dev.mi4j.experiments.report.Html.href;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.AtomicFiles;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code report.html} of a tabular model's audit, rendered from its {@code verdict.json} alone: the
 * verdict and the rule, every attack on the training and the held-out records, the countermeasure
 * table, what was skipped, and the provenance. Same page style as the image audit ({@link AuditReport}).
 */
public final class TabularAuditReport {

    private TabularAuditReport() {
    }

    public static Path write(Path dir, JsonNode v) {
        StringBuilder h = new StringBuilder(32 * 1024);
        JsonNode model = v.path("model");
        JsonNode data = v.path("dataset");
        String title = "mi4j audit: " + Path.of(model.path("source").asText("model")).getFileName() + " on "
                + data.path("name").asText();
        AuditReport.head(h, title);
        AuditReport.verdict(h, v);
        h.append("<p class=\"meta\">Attribute inference (Fredrikson et al., CCS 2015 Section 4): the attacker knows each")
                .append(" person's other answers and the model's label for them, and infers <code>")
                .append(esc(data.path("sensitive").asText())).append("</code> (positive value <code>")
                .append(esc(data.path("positive").asText())).append("</code>). Judged on ").append(esc(data.path("judged").asText()))
                .append("; ").append(data.path("heldOut").asInt()).append(" held-out records show what any model of the")
                .append(" population would reveal. Model: ").append(esc(model.path("kind").asText())).append(". Total time ")
                .append(String.format(Locale.ROOT, "%.1f s", v.path("totalMillis").asLong() / 1000.0)).append(". Data: <a href=\"")
                .append(href(Audit.VERDICT)).append("\">").append(esc(Audit.VERDICT)).append("</a>.</p>\n");
        h.append("<h2>How risk is judged</h2>\n<p>").append(esc(v.path("thresholds").path("rule").asText()))
                .append(" Decided by: ").append(esc(v.path("decidedBy").asText())).append(".</p>\n");
        rows(h, "attacks", "Attacks", v.path("attacks"));
        h.append("<p class=\"meta\">").append(esc(v.path("countermeasures").path("attack").asText())).append(": ")
                .append(esc(v.path("countermeasures").path("note").asText())).append(".</p>\n");
        rows(h, "countermeasures", "Output countermeasures", v.path("countermeasures").path("rows"));
        AuditReport.skipped(h, v.path("skipped"));
        h.append("<h2>Provenance</h2>\n");
        AuditReport.table(h, "provenance-model", "Model", model);
        AuditReport.table(h, "provenance-dataset", "Dataset", data);
        AuditReport.table(h, "provenance-config", "Config", v.path("config"));
        AuditReport.table(h, "provenance-mi4j", "mi4j", v.path("mi4j"));
        h.append("</body>\n</html>\n");
        Path out = dir.resolve(AuditReport.FILE);
        AtomicFiles.writeString(out, h.toString());
        return out;
    }

    private static void rows(StringBuilder h, String id, String title, JsonNode rows) {
        h.append("<h2>").append(esc(title)).append("</h2>\n<table id=\"").append(esc(id)).append("\">\n<thead><tr>")
                .append("<th>attack</th><th>output</th><th>risk</th><th>training records: accuracy</th><th>gain over prior</th>")
                .append("<th>McNemar p</th><th>precision (positive)</th><th>recall (positive)</th><th>positives revealed</th>")
                .append("<th>held-out: accuracy</th><th>held-out gain</th><th>queries</th><th>why</th></tr></thead>\n<tbody>\n");
        for (JsonNode r : rows) {
            JsonNode j = r.path("judged");
            JsonNode ho = r.path("heldOut");
            h.append("<tr data-attack=\"").append(esc(r.path("variant").asText())).append("\" data-release=\"")
                    .append(esc(r.path("release").asText())).append("\" data-risk=\"").append(esc(r.path("risk").asText()))
                    .append("\"><td>").append(esc(r.path("variant").asText())).append("</td><td><code>")
                    .append(esc(r.path("release").asText())).append("</code></td><td>").append(badge(r.path("risk").asText()))
                    .append("</td>").append(num(j.path("accuracy"), "%.3f")).append(num(r.path("gain"), "%+.3f"))
                    .append(num(r.path("mcnemarP"), "%.3g")).append(num(j.path("precision"), "%.2f"))
                    .append(num(j.path("recall"), "%.2f")).append("<td class=\"num\">").append(r.path("exposed").size())
                    .append("</td>").append(num(ho.path("accuracy"), "%.3f")).append(num(r.path("heldOutGain"), "%+.3f"))
                    .append("<td class=\"num\">").append(String.format(Locale.ROOT, "%,d", r.path("modelQueries").asLong()))
                    .append("</td><td>").append(esc(r.path("because").asText())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }
}
