package dev.mi4j.experiments.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the pending trials of a sweep run: a thread pool in this JVM ({@link LocalDispatcher}, the
 * default) or a cluster (the distributed module's Spark dispatcher, found through
 * {@code pipeline.ClusterDispatchers}). {@link SweepRunner} plans the trials, skips finished ones and alone
 * writes {@code trials.jsonl} and {@code results.csv}; a dispatcher only gets each trial it is given
 * run to completion by {@link TrialAttempt}, wherever that happens, and hands its record back.
 */
public interface TrialDispatcher {

    /** For the log line: "4 threads", "Spark spark://host:7077". */
    String describe();

    /**
     * Runs every trial of {@code trials} into {@code runDir} and reports each record exactly once to
     * {@code listener} (possibly from several threads: the runner serialises its own writes). Returns
     * when all have finished. A trial whose executor throws is a record with status "failed", not an
     * exception here; this throws only when the dispatch itself fails (a cluster gives up on a
     * task), and the records reported until then stay.
     */
    void dispatch(Path runDir, List<Trial> trials, Listener listener) throws Exception;

    /** Told about trials as they start (where the dispatcher knows it) and finish. */
    interface Listener {
        default void started(Trial trial) {
        }

        void finished(TrialRecord record);
    }
}
