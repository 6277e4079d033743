package dev.mi4j.experiments.cli;

import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.data.Split;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.experiments.config.ExperimentConfig.TargetConfig;
import dev.mi4j.experiments.config.SplitSpec;
import dev.mi4j.experiments.pipeline.OutputFolder;
import dev.mi4j.experiments.pipeline.TargetProvider;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** mi4j train: trains one target and saves it with its provenance. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a target (or evaluation) model with early stopping and save it with its provenance.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions data;

    @Option(names = "--model", required = true, paramLabel = "ARCH",
            description = "softmax, mlp, cnn, dae or eval; or gan (GMI's GAN prior, with --dataset public-faces);"
                    + " with a table (--dataset steak-survey): cart, logreg or mlp, saved as <dataset>-<model>.json"
                    + " (a network with its .zip beside it) for mi4j audit.")
    String model;

    @Option(names = "--out", defaultValue = "models", paramLabel = "DIR",
            description = "Folder for <dataset>-<model>.zip and its .provenance.json. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for initialisation, shuffling and the validation split.")
    Long seed;

    @Option(names = "--epochs", paramLabel = "N", description = "Maximum epochs (early stopping may end sooner).")
    Integer epochs;

    @Option(names = "--defense", paramLabel = "SPEC",
            description = "Training-time defense: dp:epsilon=4,clip=1[,delta=1e-5,sampling=poisson] (DP-SGD with its RDP"
                    + " accountant; or sigma=.. instead of epsilon), ls:-0.05 (label smoothing, negative or positive),"
                    + " l2:1e-3 (weight decay). Recorded in the model's provenance.")
    String defense;

    @Mixin
    SplitOptions splitOptions;

    @Mixin
    GanOptions gan;


    @Option(names = "--cache", paramLabel = "DIR", description = "Model cache folder (default: $MI4J_CACHE/models or ~/.cache/mi4j/models).")
    Path cache;

    @Option(names = "--json", description = "Print the provenance as JSON instead of a summary.")
    boolean json;

    @Option(names = "--members", paramLabel = "F",
            description = "Tables: the share of each class's records trained on (the members; the rest are held out). Default: 0.5.")
    Double members;

    @Override
    public Integer call() {
        common.apply();
        if (GanOptions.isGan(model)) {
            return gan.run(common, data, seed, epochs, out, cache, json);
        }
        if (TabularTraining.isTable(data.name())) {
            return TabularTraining.run(data.name(), data.dataPath(), model, seed, epochs, defense, members, out, json);
        }
        if (members != null) {
            throw new dev.mi4j.core.Mi4jException("--members is for tables (--dataset steak-survey); images use --train-per-identity");
        }
        Architecture arch = Architecture.parse(model);
        SplitSpec splitSpec = splitOptions.spec(data.spec());
        LoadedDataset loaded = data.load();
        BackendInfo.logOnce();
        Split split = splitSpec.apply(loaded.images());
        // Through the model cache: training is deterministic, so an identical model already trained
        // (same dataset manifest, split, architecture, hyperparameters, mi4j version) is reused.
        TargetModel m = new TargetProvider(cache != null ? cache : TargetProvider.defaultCacheDir(), common.quiet())
                .obtain(new TargetConfig(arch.id(), null, seed, epochs, null).withDefense(defense), loaded, splitSpec, split);
        Path zip = out.resolve(loaded.images().name() + "-" + arch.id() + ".zip");
        OutputFolder.cleanPartials(out, 1);
        ModelStore.save(m, zip);
        if (json) {
            System.out.println(Json.toJson(m.provenance()));
        } else {
            System.out.printf(Locale.ROOT, "%s on %s %s (%s): train accuracy %.4f, test accuracy %.4f (%d test images; "
                            + "always answering the largest identity: %.4f), %d epochs, %.1f s%nsaved %s%n",
                    arch.id(), loaded.images().name(), loaded.images().shape(), split.description(),
                    m.provenance().trainAccuracy(), m.provenance().testAccuracy(), split.test().size(),
                    majorityAccuracy(split.test()), m.provenance().epochs(),
                    m.provenance().trainingMillis() / 1000.0, zip);
            if (m.autoencoder() != null) {
                System.out.printf(Locale.ROOT, "autoencoder: reconstruction mse %.5f on the training images (%d epochs), saved %s%n",
                        m.autoencoder().provenance().reconstructionMse(), m.autoencoder().provenance().epochs(),
                        dev.mi4j.core.model.AutoencoderStore.autoencoderPath(zip));
            }
        }
        return 0;
    }

    /** Accuracy of always answering the identity with the most images in {@code set}: the floor a model must beat. */
    static double majorityAccuracy(dev.mi4j.core.data.LabeledImages set) {
        int most = 0;
        for (int c = 0; c < set.numClasses(); c++) {
            most = Math.max(most, set.indicesOf(c).length);
        }
        return set.size() == 0 ? Double.NaN : most / (double) set.size();
    }
}
