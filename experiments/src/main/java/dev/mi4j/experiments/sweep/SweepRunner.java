package dev.mi4j.experiments.sweep;

import dev.mi4j.core.Mi4jException;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trials of a sweep into a run directory (layout: {@link RunLayout}) and can be stopped
 * at any moment, kill -9 included, and started again: finished trials (a valid done.json) are
 * skipped, interrupted ones (a folder without done.json) are deleted and redone.
 *
 * <p>Each trial is run by a {@link TrialDispatcher} (threads of this JVM, or a cluster), which
 * publishes a complete trial folder with done.json ({@link TrialAttempt}); then this runner alone
 * appends a line to trials.jsonl (fsynced) and rewrites results.csv atomically from the finished
 * trials. results.csv is ordered by the plan, so it is the same for any dispatcher and any number
 * of threads as long as the executor reports deterministic metrics and millis.
 *
 * <p>A trial whose executor throws is recorded with status "failed" and the one-line message, and
 * counts as finished: a rerun does not retry it unless {@link #retryFailed(boolean)} is set.
 */
public final class SweepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

    private final Path runDir;
    private final TrialDispatcher dispatcher;
    private final boolean quiet;
    private boolean retryFailed;

    /** Trials on {@code parallel} threads of this JVM. */
    public SweepRunner(Path runDir, TrialExecutor executor, int parallel, boolean quiet) {
        this(runDir, new LocalDispatcher(executor, parallel), quiet);
    }

    /** Trials wherever {@code dispatcher} runs them (this JVM's threads, a cluster). */
    public SweepRunner(Path runDir, TrialDispatcher dispatcher, boolean quiet) {
        if (runDir == null) {
            throw new IllegalArgumentException("runDir: must not be null");
        }
        if (dispatcher == null) {
            throw new IllegalArgumentException("dispatcher: must not be null");
        }
        this.runDir = runDir;
        this.dispatcher = dispatcher;
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
        LOG.info("sweep in {}: {} trials, {} already finished, {} to run on {}",
                runDir, trials.size(), skipped, pending.size(), dispatcher.describe());
        if (pending.isEmpty()) {
            return new SweepSummary(trials.size(), skipped, 0, 0);
        }

        AtomicInteger failed = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        try (ProgressBar progress = ProgressBar.start("sweep", trials.size(), quiet)) {
            progress.set(skipped);
            dispatcher.dispatch(runDir, pending, new TrialDispatcher.Listener() {
                @Override
                public void started(Trial trial) {
                    progress.status(trial.id() + " " + trial.describeParams());
                }

                @Override
                public void finished(TrialRecord record) {
                    synchronized (done) {
                        if (!planned.contains(record.trialId()) || done.containsKey(record.trialId())) {
                            // a dispatcher reporting a trial twice must not make a second row or line
                            LOG.warn("trial {} reported again; ignored", record.trialId());
                            return;
                        }
                        journal.append(record);
                        done.put(record.trialId(), record);
                        writeResults(trials, done);
                        finished.incrementAndGet();
                        if (record.failed()) {
                            failed.incrementAndGet();
                        }
                        progress.step(1);
                    }
                }
            });
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
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Mi4jException("sweep failed after " + finished.get() + " of " + pending.size()
                    + " trials (their results are kept; run it again to resume): " + TrialAttempt.oneLine(e), e);
        }
        int missing = pending.size() - finished.get();
        if (missing > 0) {
            throw new IllegalStateException("the dispatcher (" + dispatcher.describe() + ") returned with " + missing
                    + " trial(s) unreported; run the sweep again to resume");
        }
        // Every trial is published: what is left in staging are attempts of lost executors.
        RunLayout.deleteRecursively(runDir.resolve(RunLayout.STAGING));
        return new SweepSummary(trials.size(), skipped, pending.size(), failed.get());
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
