package dev.mi4j.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table with aligned columns for terminal output (numbers right-aligned). */
public final class TextTable {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    /** Text for a metric that was not computed (NaN), e.g. classifier metrics without an evaluator. */
    public static final String NOT_AVAILABLE = "n/a";

    /** {@code v} in {@code format} (Locale.ROOT), or {@link #NOT_AVAILABLE} for NaN. */
    public static String number(String format, double v) {
        return Double.isNaN(v) ? NOT_AVAILABLE : String.format(Locale.ROOT, format, v);
    }

    /** {@code v} as a percentage with one decimal, or {@link #NOT_AVAILABLE} for NaN. */
    public static String percent(double v) {
        return Double.isNaN(v) ? NOT_AVAILABLE : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /**
     * {@code v} to 4 significant digits for reading (full precision stays in CSV and JSON):
     * integers as integers ("3668"), others in plain notation without trailing zeros ("0.9667",
     * "24.2", "0.001234"), very small or large magnitudes in scientific notation ("1.235e-05");
     * "" for NaN and null (an empty cell, as in results.csv), "inf"/"-inf" for infinities.
     */
    public static String significant(Number value) {
        if (value == null) {
            return "";
        }
        double v = value.doubleValue();
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e7) {
            java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(4));
            String s = d.stripTrailingZeros().toPlainString();
            return s.equals("-0") ? "0" : s;
        }
        String s = String.format(Locale.ROOT, "%.3e", v);   // e.g. 1.235e-05
        return s.replaceAll("\\.?0+e", "e");
    }

    public TextTable row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, table has " + headers.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    public List<String> headers() {
        return headers;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    @Override
    public String toString() {
        int[] w = new int[headers.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = headers.get(c).length();
            for (List<String> r : rows) {
                w[c] = Math.max(w[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, w, false);
        for (int c = 0; c < w.length; c++) {
            sb.append(c == 0 ? "" : "-+-").append("-".repeat(w[c]));
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, w, true);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w, boolean alignNumbers) {
        for (int c = 0; c < w.length; c++) {
            String v = cells.get(c);
            boolean right = alignNumbers && v.matches("[-+]?[0-9.,%]+( ?[a-z%]+)?");
            sb.append(c == 0 ? "" : " | ").append(right ? pad(v, w[c], true) : pad(v, w[c], false));
        }
        sb.append('\n');
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return left ? fill + s : s + fill;
    }
}
