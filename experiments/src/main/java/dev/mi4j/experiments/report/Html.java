package dev.mi4j.experiments.report;

import dev.mi4j.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * HTML building blocks shared by mi4j's pages (sweep and study reports, audits): escaping,
 * relative URLs, numbers at reading precision, script-safe JSON, the report's own stylesheet and
 * the inlined charting libraries.
 */
public final class Html {

    private static final String RESOURCES = "/dev/mi4j/experiments/report/";

    private Html() {
    }

    /** Escapes text for element content and double- or single-quoted attributes. */
    public static String esc(Object value) {
        String s = value == null ? "" : value.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A relative URL from path segments, each percent-encoded (spaces as %20), then HTML-escaped. */
    public static String href(String... segments) {
        return esc(url(segments));
    }

    /** A relative URL from path segments, each percent-encoded (spaces as %20); not HTML-escaped (for JSON and JS). */
    public static String url(String... segments) {
        StringBuilder sb = new StringBuilder();
        for (String seg : segments) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    /** A "/"-separated relative path as a URL (each segment percent-encoded); null stays null. */
    public static String urlOfPath(String relativePath) {
        return relativePath == null ? null : url(relativePath.split("/"));
    }

    /** A number at reading precision ({@link TextTable#significant}), HTML-escaped. */
    public static String number(Number value) {
        return esc(TextTable.significant(value));
    }

    /**
     * The value as JSON that can sit inside a {@code <script type="application/json">} element:
     * '<', '>' and '&' are written as \\u escapes, so no text from a config or CSV can close the
     * element or open a comment. JSON.parse reads the escapes back as the characters.
     */
    public static String scriptJson(Object value) {
        String json = Json.toJson(value);
        StringBuilder sb = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The report's stylesheet (report.css), for pages that want to look like the report. */
    public static String css() {
        return resource("report.css");
    }

    /**
     * Script elements inlining Vega, Vega-Lite and vega-embed (pinned versions, see
     * {@code vendor/README.md}), preceded by an HTML comment with their licences: a page can draw
     * charts with {@code vegaEmbed(element, spec)} offline, from the one HTML file.
     */
    public static String chartLibraries() {
        StringBuilder sb = new StringBuilder(900_000);
        sb.append("<!--\nThis page inlines Vega 6.2.0, Vega-Lite 6.4.1 and vega-embed 7.1.0 (https://vega.github.io),\n")
                .append("which bundle d3 modules, delaunator, topojson-client, semver (ISC), robust-predicates (Unlicense),\n")
                .append("fast-json-patch, json-stringify-pretty-compact (MIT) and tslib (0BSD). Their licences:\n\n");
        for (String lib : new String[] {"vega", "vega-lite", "vega-embed"}) {
            sb.append(lib).append(":\n").append(resource("vendor/LICENSE-" + lib + ".txt").replace("--", "- -")).append('\n');
        }
        sb.append("-->\n");
        for (String lib : new String[] {"vega", "vega-lite", "vega-embed"}) {
            String js = resource("vendor/" + lib + ".min.js");
            if (js.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
                throw new IllegalStateException("vendor/" + lib + ".min.js contains </script and cannot be inlined");
            }
            sb.append("<script>").append(js).append("</script>\n");
        }
        return sb.toString();
    }

    static String resource(String name) {
        try (InputStream in = Html.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("report resource " + name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read report resource " + name, e);
        }
    }
}
