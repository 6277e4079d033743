package dev.mi4j.experiments.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: CRLF line ends, a field is quoted when it holds a comma, a double quote, CR or
 * LF, or starts/ends with a space; quotes inside are doubled. {@link #parse} is strict: it rejects
 * a quote inside an unquoted field, text after a closing quote, an unterminated quote and rows
 * whose field count differs from the header's, so a test that parses a file back proves it is
 * well-formed for pandas, R and spreadsheets.
 */
public final class Csv {

    private Csv() {
    }

    public static String format(List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(field(row.get(i)));
            }
            sb.append("\r\n");
        }
        return sb.toString();
    }

    static String field(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ';
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** Parses CSV text (CRLF or LF line ends); every row must have as many fields as the first. */
    public static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        int line = 1;
        boolean rowStarted = false;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' && field.isEmpty()) {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("CSV line " + line + ": unterminated quoted field");
                    }
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (q == '\n') {
                        line++;
                    }
                    field.append(q);
                    i++;
                }
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
                    throw new IllegalArgumentException("CSV line " + line + ": text after a closing quote");
                }
                rowStarted = true;
                continue;
            }
            if (c == '"') {
                throw new IllegalArgumentException("CSV line " + line + ": quote inside an unquoted field");
            }
            if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                rowStarted = true;
                i++;
                continue;
            }
            if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    if (i + 1 >= n || text.charAt(i + 1) != '\n') {
                        throw new IllegalArgumentException("CSV line " + line + ": bare CR");
                    }
                    i++;
                }
                i++;
                row.add(field.toString());
                field.setLength(0);
                addRow(rows, row, line);
                row = new ArrayList<>();
                rowStarted = false;
                line++;
                continue;
            }
            field.append(c);
            rowStarted = true;
            i++;
        }
        if (rowStarted || !field.isEmpty()) {
            row.add(field.toString());
            addRow(rows, row, line);
        }
        return rows;
    }

    private static void addRow(List<List<String>> rows, List<String> row, int line) {
        if (!rows.isEmpty() && rows.get(0).size() != row.size()) {
            throw new IllegalArgumentException("CSV line " + line + ": " + row.size() + " fields, the header has " + rows.get(0).size());
        }
        rows.add(row);
    }
}
