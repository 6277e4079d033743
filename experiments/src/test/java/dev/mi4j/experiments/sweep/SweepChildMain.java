package dev.mi4j.experiments.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * Child JVM for {@link SweepKillTest}: runs the 12-trial fake grid slowly on 2 threads; the trial
 * named by args[1] writes its files and then hangs, so the parent can kill -9 mid-trial.
 */
public final class SweepChildMain {

    private SweepChildMain() {
    }

    public static void main(String[] args) {
        List<Trial> trials = TrialGenerator.generate(FakeExecutor.grid12(), SweepKillTest.FINGERPRINT);
        new SweepRunner(Path.of(args[0]), new FakeExecutor(150, args[1]), 2, true).run(trials);
    }
}
