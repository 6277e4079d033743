package dev.mi4j.experiments.report;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** HTML escaping and relative-URL building for the reports (the sweep report, the audit report). */
public final class Html {

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
        StringBuilder sb = new StringBuilder();
        for (String seg : segments) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return esc(sb.toString());
    }
}
