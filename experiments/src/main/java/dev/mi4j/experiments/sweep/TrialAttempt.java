package dev.mi4j.experiments.sweep;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one trial, in whatever JVM runs it (the sweep's own threads or a cluster
 * executor). The executor writes into a fresh staging folder, {@code runDir/.staging/<id>.<nonce>/},
 * done.json is written there last, and the folder is then renamed to {@code runDir/<id>/} in one
 * step. So a trial folder is either absent or complete, and two attempts at the same trial (a
 * cluster retrying a task it believed lost while the first attempt still ran) cannot mix their
 * files: the first rename wins and the other attempt returns the winner's record.
 */
public final class TrialAttempt {

    private static final Logger LOG = LoggerFactory.getLogger(TrialAttempt.class);
    private static final int MAX_MESSAGE = 500;

    private TrialAttempt() {
    }

    /** Runs the trial and returns its record as read back from its done.json in {@code runDir/<id>/}. */
    public static TrialRecord run(Path runDir, Trial trial, TrialExecutor executor) throws IOException {
        Path staging = runDir.resolve(RunLayout.STAGING).resolve(trial.id() + "." + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(staging);
        long start = System.nanoTime();
        TrialOutcome outcome;
        String message = null;
        try {
            outcome = executor.execute(trial, staging);
            if (outcome == null) {
                throw new IllegalStateException("the executor returned no outcome");
            }
        } catch (Exception e) {
            message = oneLine(e);
            LOG.warn("trial {} ({}) failed: {}", trial.id(), trial.describeParams(), message);
            outcome = new TrialOutcome(new LinkedHashMap<>(), -1, 0, TrialOutcome.FAILED);
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        TrialRecord record = new TrialRecord(trial.id(), trial.params(), storable(outcome.metrics()), outcome.status(),
                outcome.millis() >= 0 ? outcome.millis() : wallMillis, outcome.queries(), message);
        Json.write(staging.resolve(RunLayout.DONE), record);
        Path dir = RunLayout.trialDir(runDir, trial.id());
        if (Files.exists(dir) && RunLayout.readDoneFile(dir) == null) {
            // a folder of an older layout or a foreign half-written one: never a finished trial
            RunLayout.deleteRecursively(dir);
        }
        try {
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new Mi4jException("run directory " + runDir + ": the file system cannot rename a folder atomically, "
                    + "which a sweep needs to publish finished trials", e);
        } catch (IOException e) {
            if (RunLayout.readDoneFile(dir) == null) {
                throw e;
            }
            LOG.info("trial {} was finished by another attempt meanwhile; keeping that one", trial.id());
            RunLayout.deleteRecursively(staging);
        }
        // Read back: the CSV and journal then hold exactly what a resumed run will read (NaN -> null).
        TrialRecord stored = RunLayout.readDoneFile(dir);
        if (stored == null) {
            throw new UncheckedIOException(new IOException("trial " + trial.id() + ": " + dir.resolve(RunLayout.DONE)
                    + " is missing or unreadable right after it was written"));
        }
        return stored;
    }

    private static LinkedHashMap<String, Object> storable(Map<String, Object> metrics) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(k,
                v == null || v instanceof Number || v instanceof Boolean || v instanceof String ? v : v.toString()));
        return out;
    }

    static String oneLine(Throwable e) {
        String msg = e.getMessage();
        String text = e instanceof Mi4jException && msg != null ? msg
                : e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
        text = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE - 3) + "..." : text;
    }
}
