package dev.mi4j.experiments.cli;

import dev.mi4j.datasets.DatasetRegistry;
import dev.mi4j.datasets.DatasetSpec;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.datasets.PublicPrivateProtocol;
import dev.mi4j.experiments.config.ExperimentConfig;
import dev.mi4j.experiments.pipeline.ExperimentData;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** --dataset and --data-path, shared by the commands that read a dataset. */
public final class DatasetOptions {

    @Option(names = "--dataset", defaultValue = "att-faces", paramLabel = "NAME",
            description = "Registered dataset (att-faces, lfw-min70, yale), or private-faces: the private identities of GMI's "
                    + "public/private protocol (20 AT&T identities, 32x32 grey face crops; see docs/gmi.md). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data-path", paramLabel = "DIR",
            description = "Explicit dataset folder (else MI4J_DATA_DIR, ../shared/datasets, ~/.cache/mi4j/datasets, download).")
    Path dataPath;

    public LoadedDataset load() {
        return experimentData().data();
    }

    /** The dataset, and under {@code private-faces} the protocol's public faces beside it. */
    public ExperimentData experimentData() {
        if (isPrivateFaces()) {
            return ExperimentData.protocol(PublicPrivateProtocol.Spec.DEFAULT, dataPath);
        }
        return new ExperimentData(new ExperimentConfig.DatasetConfig(dataset, null).load(Optional.ofNullable(dataPath)), null);
    }

    private boolean isPrivateFaces() {
        return PublicPrivateProtocol.PRIVATE_NAME.equals(dataset);
    }

    public String name() {
        return dataset;
    }

    /** The explicit --data-path, or null. */
    public Path dataPath() {
        return dataPath;
    }

    /** The registered dataset named by --dataset. */
    public DatasetSpec spec() {
        // The protocol's private identities are split as their dataset's images are (7 of 10 per identity for AT&T).
        return DatasetRegistry.get(isPrivateFaces() ? PublicPrivateProtocol.Spec.DEFAULT.privateDataset() : dataset);
    }
}
