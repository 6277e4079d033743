package dev.mi4j.experiments.sweep;

import dev.mi4j.core.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The finished trials of a run as a table: one row per planned trial that has a done.json, in
 * generation (plan) order. Columns: {@code trial_id}, every swept parameter (plan order), every
 * metric (union over the rows, in first-seen order), {@code status}, {@code millis},
 * {@code queries}, {@code message} (the error of a failed trial, else empty). A metric whose name
 * clashes with another column is headed {@code metric:<name>}. Missing and non-finite values are
 * empty cells, which pandas and R read as NaN / NA.
 */
public record ResultsTable(List<String> parameters, List<String> metrics, List<TrialRecord> rows) {

    static final List<String> TRAILING = List.of("status", "millis", "queries", "message");

    public ResultsTable {
        parameters = List.copyOf(parameters);
        metrics = List.copyOf(metrics);
        rows = List.copyOf(rows);
    }

    /** The table of a run directory: its plan.json order, or trial id order when it has no plan. */
    public static ResultsTable load(Path runDir) {
        Map<String, TrialRecord> done = RunLayout.readDone(runDir);
        List<Trial> plan = RunLayout.readPlan(runDir);
        if (plan.isEmpty()) {
            plan = done.values().stream().map(r -> new Trial(r.trialId(), r.params())).toList();
        }
        return of(plan, done);
    }

    /** The planned trials that are done, in plan order. */
    public static ResultsTable of(List<Trial> plan, Map<String, TrialRecord> done) {
        Set<String> params = new LinkedHashSet<>();
        plan.forEach(t -> params.addAll(t.params().keySet()));
        List<TrialRecord> rows = new ArrayList<>();
        Set<String> metrics = new LinkedHashSet<>();
        for (Trial t : plan) {
            TrialRecord r = done.get(t.id());
            if (r != null) {
                rows.add(r);
                metrics.addAll(r.metrics().keySet());
            }
        }
        return new ResultsTable(new ArrayList<>(params), new ArrayList<>(metrics), rows);
    }

    /** The CSV header of a metric: its name, or {@code metric:<name>} when that clashes. */
    public String metricColumn(String metric) {
        return parameters.contains(metric) || TRAILING.contains(metric) || "trial_id".equals(metric) ? "metric:" + metric : metric;
    }

    public List<String> header() {
        List<String> h = new ArrayList<>();
        h.add("trial_id");
        h.addAll(parameters);
        metrics.forEach(m -> h.add(metricColumn(m)));
        h.addAll(TRAILING);
        return h;
    }

    public List<String> cells(TrialRecord r) {
        List<String> c = new ArrayList<>();
        c.add(r.trialId());
        parameters.forEach(p -> c.add(cell(r.params().get(p))));
        metrics.forEach(m -> c.add(cell(r.metrics().get(m))));
        c.add(r.status());
        c.add(Long.toString(r.millis()));
        c.add(Long.toString(r.queries()));
        c.add(r.message() == null ? "" : r.message());
        return c;
    }

    public String toCsv() {
        List<List<String>> out = new ArrayList<>(rows.size() + 1);
        out.add(header());
        rows.forEach(r -> out.add(cells(r)));
        return Csv.format(out);
    }

    public void writeCsv(Path file) {
        AtomicFiles.writeString(file, toCsv());
    }

    /** One value as CSV text: numbers in Java's shortest round-trip form, missing/NaN empty. */
    public static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? Double.toString(d) : "";
        }
        return v.toString();
    }
}
