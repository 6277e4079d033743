package dev.mi4j.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.experiments.sweep.ResultsTable;
import dev.mi4j.experiments.sweep.RunLayout;
import dev.mi4j.experiments.sweep.TrialRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a report shows of a run folder, whichever command wrote it: one {@link Entry} per trial of
 * a sweep ({@code mi4j sweep}: trial folders with {@code done.json}, failed trials included), or
 * one per inversion run of a study ({@code mi4j reproduce}: every folder up to four levels down
 * holding an inversion run's {@code metrics.json}, in the order of {@code summary.json}'s
 * results first). Parameters and metrics are the union over entries, in first-seen order.
 *
 * @param kind       "sweep" or "study"
 * @param parameters every parameter name
 * @param metrics    every metric name
 */
public record RunData(Path root, String kind, List<Entry> entries, List<String> parameters, List<String> metrics) {

    public static final String SWEEP = "sweep";
    public static final String STUDY = "study";
    private static final int MAX_DEPTH = 4;

    /**
     * One trial or run.
     *
     * @param id     a trial id, or the run's folder relative to the root
     * @param label  how tables and charts name it (the values that vary, or the folder)
     * @param folder its folder relative to the root, "/"-separated
     * @param status "ok" or "failed"
     */
    public record Entry(String id, String label, String folder, Map<String, Object> params, Map<String, Object> metrics,
                        String status, String message, long millis, long queries) {

        public boolean failed() {
            return !"ok".equals(status);
        }
    }

    public RunData {
        entries = List.copyOf(entries);
        parameters = List.copyOf(parameters);
        metrics = List.copyOf(metrics);
    }

    /** Reads a run folder; an empty or unknown folder gives a sweep with no entries. */
    public static RunData load(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("runDir: " + root + " is not a directory");
        }
        boolean sweep = Files.isRegularFile(root.resolve(RunLayout.PLAN)) || Files.isRegularFile(root.resolve(RunLayout.RESULTS))
                || !RunLayout.readDone(root).isEmpty();
        List<String> studyFolders = sweep ? List.of() : studyFolders(root);
        return sweep || studyFolders.isEmpty() ? sweep(root) : study(root, studyFolders);
    }

    private static RunData sweep(Path root) {
        ResultsTable t = ResultsTable.load(root);
        List<Entry> raw = new ArrayList<>();
        for (TrialRecord r : t.rows()) {
            raw.add(new Entry(r.trialId(), r.trialId(), r.trialId(), new LinkedHashMap<>(r.params()),
                    new LinkedHashMap<>(r.metrics()), r.failed() ? "failed" : "ok", r.message(), r.millis(), r.queries()));
        }
        return labelled(root, SWEEP, raw, t.parameters(), t.metrics());
    }

    private static RunData study(Path root, List<String> folders) {
        List<Entry> raw = new ArrayList<>();
        Set<String> params = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        for (String f : folders) {
            JsonNode doc = InversionFiles.readJson(root.resolve(f).resolve(InversionFiles.METRICS_JSON));
            LinkedHashMap<String, Object> p = InversionFiles.describe(doc);
            LinkedHashMap<String, Object> m = InversionFiles.summaryMetrics(doc);
            params.addAll(p.keySet());
            metrics.addAll(m.keySet());
            raw.add(new Entry(f, f, f, p, m, "ok", null, doc.path("attackMillis").asLong(0), doc.path("modelQueries").asLong(0)));
        }
        return new RunData(root, STUDY, raw, new ArrayList<>(params), new ArrayList<>(metrics));
    }

    /** Sweep entries named by the values that vary between trials (the trial id when nothing varies). */
    private static RunData labelled(Path root, String kind, List<Entry> raw, List<String> params, List<String> metrics) {
        RunData d = new RunData(root, kind, raw, params, metrics);
        List<String> varying = d.varyingParameters();
        List<Entry> out = new ArrayList<>();
        for (Entry e : raw) {
            List<String> parts = new ArrayList<>();
            varying.forEach(p -> parts.add(p + "=" + ResultsTable.cell(e.params().get(p))));
            String label = parts.isEmpty() ? e.id() : String.join(", ", parts);
            out.add(new Entry(e.id(), label, e.folder(), e.params(), e.metrics(), e.status(), e.message(), e.millis(), e.queries()));
        }
        return new RunData(root, kind, out, params, metrics);
    }

    /** Parameters with two or more distinct values among the entries (all of them when there is one entry). */
    public List<String> varyingParameters() {
        return entries.size() < 2 ? parameters : parameters.stream().filter(p -> distinct(e -> e.params().get(p), false) > 1).toList();
    }

    /** Parameters with one value in every entry. */
    public List<String> constantParameters() {
        List<String> v = varyingParameters();
        return parameters.stream().filter(p -> !v.contains(p)).toList();
    }

    /** Metrics with a finite value in some successful entry. */
    public List<String> numericMetrics() {
        return metrics.stream().filter(m -> entries.stream().anyMatch(e -> !e.failed() && finite(e.metrics().get(m)) != null)).toList();
    }

    /** Numeric metrics whose finite values differ between successful entries (all numeric ones with one entry). */
    public List<String> varyingMetrics() {
        List<String> numeric = numericMetrics();
        return entries.size() < 2 ? numeric : numeric.stream().filter(m -> distinct(e -> finite(e.metrics().get(m)), true) > 1).toList();
    }

    private long distinct(java.util.function.Function<Entry, Object> value, boolean okOnly) {
        Set<Object> seen = new HashSet<>();
        for (Entry e : entries) {
            if (!okOnly || !e.failed()) {
                Object v = value.apply(e);
                if (v != null || !okOnly) {
                    seen.add(v instanceof Number n ? (Object) n.doubleValue() : Objects.toString(v, ""));
                }
            }
        }
        return seen.size();
    }

    static Double finite(Object v) {
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        return null;
    }

    /** Folders below root (relative, "/"-separated) holding an inversion run, summary.json's order first. */
    private static List<String> studyFolders(Path root) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode summary = InversionFiles.readJson(root.resolve("summary.json"));
        if (summary != null) {
            for (JsonNode r : summary.path("results")) {
                String f = r.path("folder").asText("").replace('\\', '/');
                if (!f.isEmpty() && !f.contains("..") && InversionFiles.isRunFolder(root.resolve(f))) {
                    out.add(f);
                }
            }
        }
        try (Stream<Path> s = Files.walk(root, MAX_DEPTH)) {
            s.filter(p -> !p.equals(root) && Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))
                    .filter(InversionFiles::isRunFolder)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted(HtmlReport::naturalOrder)
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(out);
    }
}
