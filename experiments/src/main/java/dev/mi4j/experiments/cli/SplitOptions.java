package dev.mi4j.experiments.cli;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.datasets.DatasetSpec;
import dev.mi4j.experiments.config.SplitSpec;
import picocli.CommandLine.Option;

/**
 * --train-per-identity, --train-fraction and --split-seed: the split a target is trained on (and
 * evaluated against). What is not given comes from the dataset's default split (mi4j datasets
 * lists them).
 */
public final class SplitOptions {

    @Option(names = "--train-per-identity", paramLabel = "K",
            description = "Training images per identity; the rest are the held-out test set. "
                    + "Default: the dataset's split (att-faces: 7, the paper's; see mi4j datasets).")
    Integer trainPerIdentity;

    @Option(names = "--train-fraction", paramLabel = "F",
            description = "Instead of --train-per-identity: this fraction of each identity's images for training "
                    + "(rounded; at least one image on each side). Default: the dataset's split (lfw-min70, yale: 0.7).")
    Double trainFraction;

    @Option(names = "--split-seed", paramLabel = "N", description = "Seed of the train/test split. Default: the dataset's (42).")
    Long splitSeed;

    /** The split asked for, completed from {@code dataset}'s default. */
    public SplitSpec spec(DatasetSpec dataset) {
        if (trainPerIdentity != null && trainFraction != null) {
            throw new Mi4jException("give --train-per-identity or --train-fraction, not both");
        }
        return new SplitSpec(trainPerIdentity, trainFraction, splitSeed).withDefaultsOf(dataset);
    }
}
