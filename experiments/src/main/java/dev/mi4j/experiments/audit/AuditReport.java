package dev.mi4j.experiments.audit;

import static dev.mi4j.experiments.report.Html.esc;
import static dev.mi4j.experiments.report.Html.href;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.experiments.report.Html;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html} of an audit, rendered from its {@code verdict.json} alone (so it can be
 * re-rendered from the file): the verdict, the rule that gave it, per identity a private image beside
 * the reconstruction that decided its risk, the countermeasure table, every attack run with its
 * queries and budget, what was skipped and why, and the provenance of model, data, evaluation model
 * and config. One self-contained page: inline CSS, no script, images by relative path.
 */
public final class AuditReport {

    public static final String FILE = "report.html";

    /** The audit's own rules, after the report stylesheet ({@link Html#css()}) they build on. */
    private static final String CSS = """
            th, td { vertical-align: middle; }
            td.face img { width: 92px; image-rendering: pixelated; display: block; }
            .risk { font-weight: bold; padding: 1px 6px; border-radius: 3px; color: #fff; }
            .risk-HIGH { background: #c0392b; }
            .risk-MEDIUM { background: #d68910; }
            .risk-LOW { background: #1e8449; }
            .verdict { font-size: 1.3em; margin: 0.6em 0; }
            .verdict .risk { font-size: 1.1em; padding: 3px 10px; }
            .gallery-img { max-width: 100%; image-rendering: pixelated; }
            """;

    private AuditReport() {
    }

    /** Writes {@code dir/report.html} from the verdict document; returns its path. */
    public static Path write(Path dir, JsonNode v) {
        StringBuilder h = new StringBuilder(64 * 1024);
        JsonNode model = v.path("model");
        JsonNode data = v.path("dataset");
        String title = "mi4j audit: " + Path.of(model.path("source").asText("model")).getFileName() + " on "
                + data.path("name").asText();
        head(h, title);
        verdict(h, v);
        JsonNode config = v.path("config");
        h.append("<p class=\"meta\">").append(config.path("quick").asBoolean() ? "Quick audit (--quick: few iterations and"
                        + " identities; a smoke test, not a verdict to rely on). " : "")
                .append("Model input ").append(esc(shape(model.path("inputShape")))).append(", ")
                .append(model.path("numClasses").asInt()).append(" classes, gradients ")
                .append(model.path("gradients").asBoolean() ? "available" : "not available").append("; dataset ")
                .append(esc(data.path("name").asText())).append(" (").append(data.path("images").asInt()).append(" images of ")
                .append(data.path("identities").asInt()).append(" identities). Total time ")
                .append(String.format(Locale.ROOT, "%.1f s", v.path("totalMillis").asLong() / 1000.0))
                .append(". Data: <a href=\"").append(href(Audit.VERDICT)).append("\">").append(esc(Audit.VERDICT))
                .append("</a>.</p>\n");
        rule(h, v.path("thresholds"), v.path("decidedBy").asText());
        identities(h, v.path("perIdentity"));
        countermeasures(h, v.path("countermeasures"));
        attacks(h, v.path("attacks"), v.path("skipped"));
        if (Files.isRegularFile(dir.resolve(Audit.GALLERY))) {
            h.append("<h2>Gallery</h2>\n<p class=\"meta\">Per identity a private image, then the reconstruction each attack"
                    + " kept.</p>\n<img class=\"gallery-img\" src=\"").append(href(Audit.GALLERY))
                    .append("\" alt=\"gallery: private image and reconstructions per identity\">\n");
        }
        h.append("<h2>Provenance</h2>\n");
        table(h, "provenance-model", "Model", model);
        table(h, "provenance-dataset", "Dataset", data);
        table(h, "provenance-evaluator", "Evaluation model", v.path("evaluator"));
        if (!v.path("gan").isMissingNode() && !v.path("gan").isNull()) {
            table(h, "provenance-gan", "GAN prior", v.path("gan"));
        }
        table(h, "provenance-config", "Config", config);
        table(h, "provenance-mi4j", "mi4j", v.path("mi4j"));
        h.append("</body>\n</html>\n");
        Path out = dir.resolve(FILE);
        AtomicFiles.writeString(out, h.toString());
        return out;
    }

    /** The page up to its heading: the report stylesheet and the audit's rules, for every audit page. */
    static void head(StringBuilder h, String title) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(Html.css()).append(CSS).append("</style>\n</head>\n<body>\n<h1>").append(esc(title))
                .append("</h1>\n");
    }

    /** The verdict line: the overall risk and the summary sentence. */
    static void verdict(StringBuilder h, JsonNode v) {
        String verdict = v.path("verdict").asText();
        h.append("<p class=\"verdict\" id=\"verdict\" data-risk=\"").append(esc(verdict)).append("\">Overall risk: ")
                .append(badge(verdict)).append(" &mdash; ").append(esc(v.path("summary").asText())).append("</p>\n");
    }

    /** The attacks that were not run and why (nothing when every attack ran). */
    static void skipped(StringBuilder h, JsonNode skipped) {
        if (skipped.size() > 0) {
            h.append("<p>Not run:</p>\n<ul id=\"skipped\">\n");
            for (JsonNode s : skipped) {
                h.append("<li>").append(esc(s.path("attack").asText())).append(": ").append(esc(s.path("reason").asText()))
                        .append("</li>\n");
            }
            h.append("</ul>\n");
        }
    }

    static String badge(String risk) {
        String r = risk.replaceAll("[^A-Z]", "");
        return "<span class=\"risk risk-" + esc(r) + "\">" + esc(risk) + "</span>";
    }

    private static void rule(StringBuilder h, JsonNode t, String decidedBy) {
        h.append("<h2>How risk is judged</h2>\n<p>Each reconstruction is judged by an independent evaluation model that mi4j"
                        + " trained on the audit dataset's own images (it was never attacked), and compared with the identity's"
                        + " private images.</p>\n<ul>\n<li>Per identity: ").append(esc(t.path("identityRule").asText()))
                .append("</li>\n<li>Overall: ").append(esc(t.path("overallRule").asText())).append("</li>\n<li>")
                .append(String.format(Locale.ROOT, "A reconstruction that carries no information about the identity is rated"
                        + " MEDIUM or above with probability %.2f on this dataset (the lineup is won one time in five by chance),"
                        + " HIGH with probability %.4f", t.path("chanceMediumOrAbove").asDouble(), t.path("chanceHigh").asDouble()))
                .append("; the thresholds should stay well above these.</li>\n")
                .append("<li>Each identity's risk is its risk under the strongest attack run on every identity (here: ")
                .append(esc(decidedBy)).append("); the other attacks' results are listed beside it. Within an attack with"
                        + " several variants (objectives, starting images) the attacker keeps the variant with the best"
                        + " evaluation top-1 accuracy over all identities.</li>\n</ul>\n");
    }

    private static void identities(StringBuilder h, JsonNode rows) {
        h.append("<h2>Risk per identity</h2>\n<table id=\"identities\">\n<thead><tr><th>identity</th><th>private image</th>")
                .append("<th>reconstruction</th><th>risk</th><th>decided by</th><th>model p</th><th>evaluator top-1</th>")
                .append("<th>evaluator p</th><th>lineup</th><th>SSIM to nearest</th><th>feature distance</th>")
                .append("<th>per attack</th></tr></thead>\n<tbody>\n");
        for (JsonNode r : rows) {
            String id = r.path("identity").asText();
            JsonNode m = r.path("metrics");
            String[] rec = r.path("reconstruction").asText().split("/");
            h.append("<tr data-identity=\"").append(esc(id)).append("\" data-risk=\"").append(esc(r.path("risk").asText()))
                    .append("\"><td>").append(esc(id)).append("</td><td class=\"face\"><img src=\"")
                    .append(href(Audit.PRIVATE_DIR, id + ".png")).append("\" alt=\"private image of ").append(esc(id))
                    .append("\"></td><td class=\"face\"><img src=\"").append(href(rec)).append("\" alt=\"reconstruction of ")
                    .append(esc(id)).append("\"></td><td>").append(badge(r.path("risk").asText())).append("</td><td>")
                    .append(esc(r.path("attack").asText())).append(r.path("variant").asText().equals("as configured") ? ""
                            : " (" + esc(r.path("variant").asText()) + ")").append("</td>")
                    .append(num(r.path("attackerPLabel"), "%.3f"))
                    .append("<td>").append(m.path("evalTop1Correct").asBoolean() ? "yes" : "no").append("</td>")
                    .append(num(m.path("evalPTarget"), "%.3f"))
                    .append("<td>").append(m.path("lineupCorrect").isNull() ? "" : m.path("lineupCorrect").asBoolean() ? "won" : "lost")
                    .append("</td>").append(num(m.path("ssimNearest"), "%.3f")).append(num(m.path("featureDistanceNearest"), "%.1f"))
                    .append("<td>");
            StringBuilder per = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("byAttack").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                per.append(per.length() == 0 ? "" : "<br>").append(esc(e.getKey())).append(": ").append(esc(e.getValue().asText()));
            }
            h.append(per).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void countermeasures(StringBuilder h, JsonNode cm) {
        h.append("<h2>Output countermeasures</h2>\n<p class=\"meta\">").append(esc(cm.path("attack").asText())).append(": ")
                .append(esc(cm.path("note").asText())).append(". Policies: <code>round:r</code> rounds confidences to r,"
                        + " <code>topk:k</code> releases the k largest only, <code>label</code> the label only.</p>\n")
                .append("<table id=\"countermeasures\">\n<thead><tr><th>output</th><th>identities</th><th>risk</th>")
                .append("<th>share HIGH</th><th>share MEDIUM or HIGH</th><th>evaluator top-1</th><th>true p_label</th>")
                .append("<th>queries</th><th>time</th></tr></thead>\n<tbody>\n");
        for (JsonNode r : cm.path("rows")) {
            h.append("<tr data-policy=\"").append(esc(r.path("policy").asText())).append("\"><td><code>")
                    .append(esc(r.path("policy").asText())).append("</code></td><td class=\"num\">").append(r.path("identities").asInt())
                    .append("</td><td>").append(badge(r.path("overall").asText())).append("</td>")
                    .append(num(r.path("shareHigh"), "%.2f")).append(num(r.path("shareMediumOrAbove"), "%.2f"))
                    .append(num(r.path("top1"), "%.2f")).append(num(r.path("meanTruePLabel"), "%.3f"))
                    .append("<td class=\"num\">").append(String.format(Locale.ROOT, "%,d", r.path("modelQueries").asLong()))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.1f s", r.path("millis").asLong() / 1000.0))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void attacks(StringBuilder h, JsonNode attacks, JsonNode skipped) {
        h.append("<h2>Attacks run</h2>\n<table id=\"attacks\">\n<thead><tr><th>attack</th><th>variant</th><th>output</th>")
                .append("<th>attacker</th><th>identities</th><th>risk</th><th>evaluator top-1</th><th>queries</th>")
                .append("<th>budget</th><th>time</th><th>outputs</th></tr></thead>\n<tbody>\n");
        for (JsonNode a : attacks) {
            h.append("<tr><td>").append(esc(a.path("attack").asText())).append("</td><td>").append(esc(a.path("variant").asText()))
                    .append("</td><td><code>").append(esc(a.path("output").asText())).append("</code></td><td>")
                    .append(esc(a.path("attacker").asText())).append("</td><td class=\"num\">").append(a.path("identities").size())
                    .append("</td><td>").append(badge(a.path("risk").path("overall").asText())).append("</td>")
                    .append(num(a.path("aggregate").path("top1Accuracy"), "%.2f")).append("<td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%,d", a.path("modelQueries").asLong())).append("</td><td class=\"num\">")
                    .append(a.path("queryBudget").isNull() ? "none" : String.format(Locale.ROOT, "%,d", a.path("queryBudget").asLong()))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.1f s", a.path("millis").asLong() / 1000.0))
                    .append("</td><td><a href=\"").append(href(a.path("folder").asText().split("/"))).append("/metrics.json\">")
                    .append(esc(a.path("folder").asText())).append("</a></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        skipped(h, skipped);
    }

    static void table(StringBuilder h, String id, String title, JsonNode node) {
        Map<String, String> flat = new LinkedHashMap<>();
        dev.mi4j.experiments.report.HtmlReport.flatten("", node, flat);
        h.append("<h3>").append(esc(title)).append("</h3>\n<table id=\"").append(esc(id)).append("\">\n<tbody>\n");
        flat.forEach((k, val) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(val)).append("</td></tr>\n"));
        h.append("</tbody>\n</table>\n");
    }

    static String num(JsonNode n, String format) {
        return "<td class=\"num\">" + (n.isNumber() ? esc(String.format(Locale.ROOT, format, n.asDouble())) : "") + "</td>";
    }

    private static String shape(JsonNode s) {
        if (s.isObject()) {
            return s.path("channels").asInt() + "x" + s.path("height").asInt() + "x" + s.path("width").asInt();
        }
        return s.asText();
    }
}
