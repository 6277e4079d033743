package dev.mi4j.experiments.cli;

import dev.mi4j.datasets.DatasetRegistry;
import dev.mi4j.datasets.DatasetSpec;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.experiments.config.ExperimentConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** --dataset and --data-path, shared by the commands that read a dataset. */
public final class DatasetOptions {

    @Option(names = "--dataset", defaultValue = "att-faces", paramLabel = "NAME",
            description = "Registered dataset (att-faces, lfw-min70, yale). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data-path", paramLabel = "DIR",
            description = "Explicit dataset folder (else MI4J_DATA_DIR, ../shared/datasets, ~/.cache/mi4j/datasets, download).")
    Path dataPath;

    public LoadedDataset load() {
        return new ExperimentConfig.DatasetConfig(dataset, null).load(Optional.ofNullable(dataPath));
    }

    public String name() {
        return dataset;
    }

    /** The registered dataset named by --dataset. */
    public DatasetSpec spec() {
        return DatasetRegistry.get(dataset);
    }
}
