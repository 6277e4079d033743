package dev.mi4j.experiments.sweep;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.progress.ProgressBar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trials of a sweep into a run directory (layout: {@link RunLayout}) and can be stopped
 * at any moment, kill -9 included, and started again: finished trials (a valid done.json) are
 * skipped, interrupted ones (a folder without done.json) are deleted and redone.
 *
 * <p>Each trial: its folder is created empty, the executor writes into it, then done.json is
 * written atomically as the last file; then a line is appended to trials.jsonl (fsynced) and
 * results.csv is rewritten atomically from the finished trials. With {@code parallel} N the trials
 * run on a fixed pool of N threads; results.csv is ordered by the plan, so it is the same for any
 * N as long as the executor reports deterministic metrics and millis.
 *
 * <p>A trial whose executor throws is recorded with status "failed" and the one-line message, and
 * counts as finished: a rerun does not retry it unless {@link #retryFailed(boolean)} is set.
 */
public final class SweepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);
    private static final int MAX_MESSAGE = 500;

    private final Path runDir;
    private final TrialExecutor executor;
    private final int parallel;
    private final boolean quiet;
    private boolean retryFailed;

    public SweepRunner(Path runDir, TrialExecutor executor, int parallel, boolean quiet) {
        if (runDir == null) {
            throw new IllegalArgumentException("runDir: must not be null");
        }
        if (executor == null) {
            throw new IllegalArgumentException("executor: must not be null");
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel: must be >= 1, got " + parallel);
        }
        this.runDir = runDir;
        this.executor = executor;
        this.parallel = parallel;
        this.quiet = quiet;
    }

    /** Whether trials recorded as failed by an earlier run are run again (default false). */
    public SweepRunner retryFailed(boolean retry) {
        this.retryFailed = retry;
        return this;
    }

    public SweepSummary run(List<Trial> trials) {
        checkUniqueIds(trials);
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + runDir + ": " + e.getMessage(), e);
        }
        RunLayout.cleanInterrupted(runDir);
        Map<String, TrialRecord> done = new TreeMap<>(RunLayout.readDone(runDir));
        Set<String> planned = new HashSet<>();
        trials.forEach(t -> planned.add(t.id()));
        if (retryFailed) {
            for (TrialRecord r : List.copyOf(done.values())) {
                if (r.failed() && planned.contains(r.trialId())) {
                    RunLayout.deleteRecursively(RunLayout.trialDir(runDir, r.trialId()));
                    done.remove(r.trialId());
                }
            }
        }
        RunLayout.writePlan(runDir, trials);
        Journal journal = new Journal(runDir.resolve(RunLayout.JOURNAL));
        journal.reconcile(inPlanOrder(trials, done));

        List<Trial> pending = trials.stream().filter(t -> !done.containsKey(t.id())).toList();
        int skipped = trials.size() - pending.size();
        writeResults(trials, done);
        LOG.info("sweep in {}: {} trials, {} already finished, {} to run on {} thread(s)",
                runDir, trials.size(), skipped, pending.size(), Math.min(parallel, Math.max(1, pending.size())));
        if (pending.isEmpty()) {
            return new SweepSummary(trials.size(), skipped, 0, 0);
        }

        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, pending.size()), r -> {
            Thread t = new Thread(r, "mi4j-trial");
            t.setDaemon(true);
            return t;
        });
        try (ProgressBar progress = ProgressBar.start("sweep", trials.size(), quiet)) {
            progress.set(skipped);
            Object finishLock = new Object();
            List<Future<?>> futures = new ArrayList<>();
            for (Trial trial : pending) {
                futures.add(pool.submit(() -> {
                    progress.status(trial.id() + " " + trial.describeParams());
                    TrialRecord record = runTrial(trial);
                    synchronized (finishLock) {
                        journal.append(record);
                        done.put(record.trialId(), record);
                        writeResults(trials, done);
                        if (record.failed()) {
                            failed.incrementAndGet();
                        }
                        progress.step(1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Mi4jException("sweep interrupted; run it again to resume", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("sweep failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        return new SweepSummary(trials.size(), skipped, pending.size(), failed.get());
    }

    /** Runs one trial into a fresh folder and returns its record as read back from done.json. */
    private TrialRecord runTrial(Trial trial) throws IOException {
        Path dir = RunLayout.trialDir(runDir, trial.id());
        RunLayout.deleteRecursively(dir);
        Files.createDirectories(dir);
        long start = System.nanoTime();
        TrialOutcome outcome;
        String message = null;
        try {
            outcome = executor.execute(trial, dir);
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
        Path doneFile = dir.resolve(RunLayout.DONE);
        Json.write(doneFile, record);
        // Read back: the CSV and journal then hold exactly what a resumed run will read (NaN -> null).
        return Json.read(doneFile, TrialRecord.class);
    }

    private void writeResults(List<Trial> trials, Map<String, TrialRecord> done) {
        ResultsTable.of(trials, done).writeCsv(runDir.resolve(RunLayout.RESULTS));
    }

    private static List<TrialRecord> inPlanOrder(List<Trial> trials, Map<String, TrialRecord> done) {
        // planned trials first in plan order, then finished trials of earlier plans by id
        Map<String, TrialRecord> ordered = new LinkedHashMap<>();
        trials.forEach(t -> {
            if (done.containsKey(t.id())) {
                ordered.put(t.id(), done.get(t.id()));
            }
        });
        done.forEach(ordered::putIfAbsent);
        return new ArrayList<>(ordered.values());
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

    private static void checkUniqueIds(List<Trial> trials) {
        if (trials == null) {
            throw new IllegalArgumentException("trials: must not be null");
        }
        Set<String> ids = new HashSet<>();
        for (Trial t : trials) {
            if (!ids.add(t.id())) {
                throw new IllegalArgumentException("trials: id " + t.id() + " appears twice");
            }
        }
    }
}
