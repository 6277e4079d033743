package dev.mi4j.experiments.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The default dispatcher: a fixed pool of {@code parallel} threads in this JVM sharing one executor. */
public final class LocalDispatcher implements TrialDispatcher {

    private final TrialExecutor executor;
    private final int parallel;

    public LocalDispatcher(TrialExecutor executor, int parallel) {
        if (executor == null) {
            throw new IllegalArgumentException("executor: must not be null");
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel: must be >= 1, got " + parallel);
        }
        this.executor = executor;
        this.parallel = parallel;
    }

    @Override
    public String describe() {
        return parallel + " thread(s)";
    }

    @Override
    public void dispatch(Path runDir, List<Trial> trials, Listener listener) throws InterruptedException, ExecutionException {
        if (trials.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, trials.size()), r -> {
            Thread t = new Thread(r, "mi4j-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Trial trial : trials) {
                futures.add(pool.submit(() -> {
                    listener.started(trial);
                    listener.finished(TrialAttempt.run(runDir, trial, executor));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
