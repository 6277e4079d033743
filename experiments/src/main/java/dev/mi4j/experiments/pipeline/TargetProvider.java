package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.BuildInfo;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.data.Split;
import dev.mi4j.core.eval.Evaluator;
import dev.mi4j.core.io.Sha256;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.AutoencoderStore;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.PretrainedAutoencoder;
import dev.mi4j.core.model.Provenance;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.core.train.DaeConfig;
import dev.mi4j.core.train.Trainer;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.core.train.TrainingResult;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.defenses.training.TrainingDefense;
import dev.mi4j.experiments.config.ExperimentConfig.TargetConfig;
import dev.mi4j.experiments.config.SplitSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the pipeline a target model: loads a saved one, or trains one from its spec and caches
 * it under a key derived from everything that determines it (dataset manifest, split,
 * architecture, training hyperparameters, mi4j version), so a second run reuses it.
 */
public final class TargetProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TargetProvider.class);

    private final Path cacheDir;
    private final boolean quiet;

    public TargetProvider(Path cacheDir, boolean quiet) {
        this.cacheDir = cacheDir;
        this.quiet = quiet;
    }

    /** Default model cache: system property mi4j.models, else $MI4J_CACHE/models, else ~/.cache/mi4j/models. */
    public static Path defaultCacheDir() {
        String prop = System.getProperty("mi4j.models");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("MI4J_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "mi4j");
        return base.resolve("models");
    }

    /** The training hyperparameters of a target spec: the architecture's defaults with the spec's overrides. */
    public static TrainingConfig trainingConfig(Architecture arch, TargetConfig spec) {
        TrainingConfig tc = TrainingConfig.defaultsFor(arch);
        if (spec.seed() != null) {
            tc = tc.withSeed(spec.seed());
        }
        if (spec.epochs() != null) {
            tc = tc.withEpochs(spec.epochs());
        }
        if (spec.learningRate() != null) {
            tc = tc.withLearningRate(spec.learningRate());
        }
        if (spec.trainingDefense().map(d -> !d.allowsModelSelection()).orElse(false)) {
            // DP-SGD: every epoch on all training images, no best-epoch choice on held-out ones
            // (the privacy accountant counts the training steps only).
            tc = tc.withValidationFraction(0);
        }
        return tc;
    }

    /**
     * The pretraining of a target spec, for architectures that have one (else null): the
     * architecture's default with the spec's seed and {@code pretrainEpochs}.
     */
    public static DaeConfig pretrainingConfig(Architecture arch, TargetConfig spec) {
        DaeConfig pre = Trainer.pretrainingConfig(arch, trainingConfig(arch, spec));
        if (pre != null && spec.pretrainEpochs() != null) {
            pre = pre.withEpochs(spec.pretrainEpochs());
        }
        return pre;
    }

    /**
     * The file of a spec's model: the model file it names, else where its trained model is cached
     * (which {@link #obtain} loads, or writes once it has trained the model).
     */
    public Path fileFor(TargetConfig spec, LoadedDataset data, SplitSpec splitSpec) {
        if (spec.model() != null) {
            return Path.of(spec.model());
        }
        Architecture arch = Architecture.parse(spec.architecture());
        TrainingConfig tc = trainingConfig(arch, spec);
        TrainingDefense defense = spec.trainingDefense().orElse(null);
        return cacheDir.resolve(data.images().name() + "-" + arch.id() + (defense == null ? "" : "-" + defense.name()) + "-"
                + cacheKey(data, splitSpec, arch, tc, pretrainingConfig(arch, spec), defense) + ".zip");
    }

    /** Loads the spec's model file, or trains (or reuses the cached) model of its architecture. */
    public TargetModel obtain(TargetConfig spec, LoadedDataset data, SplitSpec splitSpec, Split split) {
        LabeledImages images = data.images();
        Path zip = fileFor(spec, data, splitSpec);
        if (spec.model() != null) {
            TargetModel m = ModelStore.load(zip);
            m.checkFits(images.shape(), images.numClasses(), images.name());
            return m;
        }
        Architecture arch = Architecture.parse(spec.architecture());
        TrainingConfig tc = trainingConfig(arch, spec);
        DaeConfig pre = pretrainingConfig(arch, spec);
        TrainingDefense defense = spec.trainingDefense().orElse(null);
        if (Files.isRegularFile(zip) && Files.isRegularFile(ModelStore.provenancePath(zip))
                && (arch != Architecture.DAE || AutoencoderStore.exists(zip))) {
            LOG.info("{}: reusing cached model {}", arch.id(), zip);
            TargetModel m = ModelStore.load(zip);
            m.checkFits(images.shape(), images.numClasses(), images.name());
            return m;
        }
        TargetModel m = train(arch, tc, pre, defense, data, splitSpec, split);
        // Partial files of runs killed while saving are never loaded (their names match no model);
        // those older than an hour cannot be a concurrent run's write in progress: remove them.
        OutputFolder.cleanPartials(cacheDir, 1, java.time.Duration.ofHours(1));
        ModelStore.save(m, zip);
        LOG.info("{}: saved to {}", arch.id(), zip);
        return m;
    }

    /**
     * Trains {@code arch} on the split's training images (after {@code pre}, its pretraining, or
     * null) and measures it on the test images.
     */
    public TargetModel train(Architecture arch, TrainingConfig tc, DaeConfig pre, LoadedDataset data, SplitSpec splitSpec,
                             Split split) {
        return train(arch, tc, pre, null, data, splitSpec, split);
    }

    /**
     * As {@link #train(Architecture, TrainingConfig, DaeConfig, LoadedDataset, SplitSpec, Split)}, with
     * a training-time defense on the trainer's minibatch gradients (null: none); what it did goes
     * into the provenance.
     */
    public TargetModel train(Architecture arch, TrainingConfig tc, DaeConfig pre, TrainingDefense defense, LoadedDataset data,
                             SplitSpec splitSpec, Split split) {
        LabeledImages images = data.images();
        Trainer trainer = defense == null ? new Trainer() : new Trainer(defense::newHook);
        TrainingResult r;
        try {
            r = trainer.run(arch, split.train(), tc, pre, quiet);
        } catch (IllegalArgumentException e) {
            throw new Mi4jException("defense " + defense.spec() + " on " + arch.id() + ": " + e.getMessage(), e);
        }
        double testAcc = Evaluator.evaluate(new NetworkClassifier(r.net(), images.shape()), split.test()).accuracy();
        Map<String, Object> hp = new LinkedHashMap<>(Trainer.hyperparameters(tc, pre,
                defense == null ? null : defense.describe()));
        hp.putAll(splitSpec.asProvenance());
        Provenance p = Provenance.create(images.name(), data.resolved().manifestSha256(), split.description(), tc.seed(),
                arch, hp, images.numClasses(), images.shape(), images.classNames(), r.trainAccuracy(), testAcc,
                r.epochsRun(), r.millis());
        LOG.info("{}: train accuracy {}, test accuracy {} ({} epochs, {} ms)", arch.id(),
                String.format("%.4f", r.trainAccuracy()), String.format("%.4f", testAcc), r.epochsRun(), r.millis());
        PretrainedAutoencoder autoencoder = r.pretraining() == null ? null : new PretrainedAutoencoder(
                r.pretraining().autoencoder(), r.pretraining().provenance()
                .withDataset(images.name(), data.resolved().manifestSha256(), split.description()));
        if (autoencoder != null) {
            LOG.info("{}: autoencoder reconstruction mse {} on the training images", arch.id(),
                    String.format("%.5f", autoencoder.provenance().reconstructionMse()));
        }
        return new TargetModel(r.net(), p.withDefense(r.defense()), null, autoencoder);
    }

    static String cacheKey(LoadedDataset data, SplitSpec split, Architecture arch, TrainingConfig tc, DaeConfig pre) {
        return cacheKey(data, split, arch, tc, pre, null);
    }

    /** The key of everything that determines a trained model; without a defense, the same key as before defenses existed. */
    static String cacheKey(LoadedDataset data, SplitSpec split, Architecture arch, TrainingConfig tc, DaeConfig pre,
                           TrainingDefense defense) {
        // The images' shape joins the key only where it is not the files' own: keys of models
        // trained at native size (all AT&T models) are what they were before datasets had
        // default sizes.
        dev.mi4j.core.image.ImageShape shape = data.images().shape();
        boolean nativeSize = shape.equals(data.resolved().spec().nativeShape());
        String canonical = String.join("|", data.resolved().manifestSha256(), split.keyToken(),
                String.valueOf(split.seed()), arch.id(),
                Trainer.hyperparameters(tc, pre, defense == null ? null : defense.describe()).toString(), BuildInfo.version())
                + (nativeSize ? "" : "|" + shape);
        return Sha256.of(canonical).substring(0, 12);
    }
}
