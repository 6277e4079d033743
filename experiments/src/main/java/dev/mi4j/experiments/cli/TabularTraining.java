package dev.mi4j.experiments.cli;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.tabular.TabularModelFile;
import dev.mi4j.datasets.DatasetRegistry;
import dev.mi4j.datasets.TabularDatasets;
import dev.mi4j.datasets.TabularSplit;
import dev.mi4j.experiments.attribute.AttributeStudy;
import dev.mi4j.experiments.attribute.AttributeStudyConfig;
import dev.mi4j.experiments.pipeline.OutputFolder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code mi4j train} on a table: one target of the attribute-inference study (a CART tree, logistic
 * regression or an MLP, with the study's defaults) trained on a seeded stratified share of the
 * records, written as a {@link TabularModelFile} that {@code mi4j audit} reads.
 */
final class TabularTraining {

    /** The study's default split: half of each class, the first seed of configs/fredrikson2015-trees.yaml. */
    static final double DEFAULT_MEMBERS = 0.5;
    static final long DEFAULT_SEED = 1;

    private TabularTraining() {
    }

    /** Whether {@code dataset} names a registered table (steak-survey). */
    static boolean isTable(String dataset) {
        return DatasetRegistry.allTabular().stream().anyMatch(s -> s.name().equals(dataset));
    }

    static int run(String dataset, Path dataPath, String model, Long seed, Integer epochs, String defense, Double members,
                   Path out, boolean json) {
        AttributeStudyConfig.Target target;
        try {
            target = new AttributeStudyConfig.Target(null, model, null, null, null, null, null, epochs, null, null, null,
                    null, defense);
        } catch (IllegalArgumentException e) {
            throw new Mi4jException("--model/--epochs/--defense on the table " + dataset + ": " + e.getMessage(), e);
        }
        double fraction = members == null ? DEFAULT_MEMBERS : members;
        if (!(fraction > 0 && fraction < 1)) {
            throw new Mi4jException("--members must be in (0, 1), got " + fraction);
        }
        long s = seed == null ? DEFAULT_SEED : seed;
        TabularDatasets.Loaded loaded = TabularDatasets.load(dataset, Optional.ofNullable(dataPath));
        TabularSplit split = TabularSplit.of(loaded.data(), fraction, s);
        AttributeStudy.Trained t = AttributeStudy.train(target, split, s, loaded, null);
        Path file = out.resolve(dataset + "-" + target.model() + ".json");
        OutputFolder.cleanPartials(out, 1);
        TabularModelFile.write(file, t.model(), new TabularModelFile.Split(fraction, s), t.provenance());
        if (json) {
            System.out.println(Json.toJson(t.provenance()));
        } else {
            System.out.printf(Locale.ROOT, "%s on %s (%s): train accuracy %.4f, test accuracy %.4f, %.1f s%nsaved %s%n",
                    t.provenance().description(), dataset, split.description(), t.provenance().trainAccuracy(),
                    t.provenance().testAccuracy(), t.provenance().trainingMillis() / 1000.0, file);
        }
        return 0;
    }
}
