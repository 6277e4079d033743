package dev.mi4j.experiments.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a sweep run directory:
 * <pre>
 * runDir/plan.json            the trials in generation order (written at the start of each run)
 * runDir/&lt;trial-id&gt;/          one folder per trial, written by the executor
 * runDir/&lt;trial-id&gt;/done.json  written atomically LAST: a folder without it was interrupted
 * runDir/trials.jsonl         journal, one JSON line per finished trial, fsynced
 * runDir/results.csv          one row per finished planned trial, regenerated after each trial
 * runDir/.staging/            trials being written ({@link TrialAttempt}); renamed to runDir/&lt;trial-id&gt; when done
 * </pre>
 */
public final class RunLayout {

    public static final String PLAN = "plan.json";
    public static final String DONE = "done.json";
    public static final String JOURNAL = "trials.jsonl";
    public static final String RESULTS = "results.csv";
    public static final String STAGING = ".staging";

    private static final Logger LOG = LoggerFactory.getLogger(RunLayout.class);
    private static final Pattern TRIAL_DIR = Pattern.compile("[0-9a-f]{12}");

    private RunLayout() {
    }

    public static Path trialDir(Path runDir, String trialId) {
        return runDir.resolve(trialId);
    }

    static boolean isTrialDirName(String name) {
        return TRIAL_DIR.matcher(name).matches();
    }

    /** The trials of {@code plan.json} in generation order, or an empty list when there is none. */
    public static List<Trial> readPlan(Path runDir) {
        Path plan = runDir.resolve(PLAN);
        if (!Files.isRegularFile(plan)) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(plan.toFile(), new TypeReference<List<Trial>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + plan + ": " + e.getMessage(), e);
        }
    }

    static void writePlan(Path runDir, List<Trial> trials) {
        Json.write(runDir.resolve(PLAN), trials);
    }

    /** Every trial folder with a readable done.json, by trial id. */
    public static Map<String, TrialRecord> readDone(Path runDir) {
        Map<String, TrialRecord> out = new TreeMap<>();
        for (Path dir : trialDirs(runDir)) {
            TrialRecord r = readDoneFile(dir);
            if (r != null) {
                out.put(r.trialId(), r);
            }
        }
        return out;
    }

    /** The record of one trial folder, null when it has no valid done.json for that folder. */
    static TrialRecord readDoneFile(Path dir) {
        Path done = dir.resolve(DONE);
        if (!Files.isRegularFile(done)) {
            return null;
        }
        try {
            TrialRecord r = Json.read(done, TrialRecord.class);
            return dir.getFileName().toString().equals(r.trialId()) ? r : null;
        } catch (RuntimeException e) {
            LOG.warn("{} is unreadable ({}); the trial will be redone", done, e.getMessage());
            return null;
        }
    }

    /**
     * Deletes what an interrupted run left: trial folders without a valid done.json and the
     * temporary files of interrupted atomic writes. Returns the trial ids whose folders were deleted.
     */
    static List<String> cleanInterrupted(Path runDir) {
        List<String> removed = new ArrayList<>();
        Path staging = runDir.resolve(STAGING);
        if (Files.isDirectory(staging)) {
            try (Stream<Path> s = Files.list(staging)) {
                s.sorted().forEach(p -> LOG.info("trial {} was interrupted: deleting its unfinished files",
                        p.getFileName().toString().replaceAll("\\..*", "")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + staging + ": " + e.getMessage(), e);
            }
            deleteRecursively(staging);
        }
        for (Path dir : trialDirs(runDir)) {
            if (readDoneFile(dir) == null) {
                LOG.info("trial {} was interrupted: deleting its folder to redo it", dir.getFileName());
                deleteRecursively(dir);
                removed.add(dir.getFileName().toString());
            }
        }
        try (Stream<Path> s = Files.list(runDir)) {
            for (Path p : s.filter(AtomicFiles::isPartial).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runDir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    static List<Path> trialDirs(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runDir)) {
            return s.filter(p -> Files.isDirectory(p) && isTrialDirName(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runDir + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
