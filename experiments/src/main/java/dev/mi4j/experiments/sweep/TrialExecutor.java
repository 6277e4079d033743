package dev.mi4j.experiments.sweep;

import java.nio.file.Path;

/**
 * Runs one trial: the plug-in point for a real pipeline (MI-Face) or a fake one in tests.
 * Implementations write their files (gallery.png, {@code <target>/reconstruction.png},
 * cost_curve.csv, ...) into {@code trialDir}, which exists and is empty when this is called.
 * They must be safe to call from several threads at once when the runner is parallel.
 * Throwing marks the trial "failed" with the exception's message; the sweep goes on.
 */
@FunctionalInterface
public interface TrialExecutor {
    TrialOutcome execute(Trial trial, Path trialDir) throws Exception;
}
