package dev.mi4j.experiments.cli;

import dev.mi4j.experiments.config.SplitSpec;
import picocli.CommandLine.Option;

/** --train-per-identity and --split-seed: the split a target is trained on (and evaluated against). */
public final class SplitOptions {

    @Option(names = "--train-per-identity", defaultValue = "7", paramLabel = "K",
            description = "Training images per identity; the rest are the held-out test set. Default: ${DEFAULT-VALUE}.")
    int trainPerIdentity;

    @Option(names = "--split-seed", defaultValue = "42", paramLabel = "N", description = "Seed of the train/test split. Default: ${DEFAULT-VALUE}.")
    long splitSeed;

    public SplitSpec spec() {
        return new SplitSpec(trainPerIdentity, splitSeed);
    }
}
