package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackSpec;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.defenses.training.TrainingDefense;
import dev.mi4j.defenses.training.TrainingDefenses;
import java.util.List;
import java.util.Map;

/**
 * One experiment, as written in a YAML file under {@code configs/}: the dataset and its split,
 * the targets to attack (trained from a spec or loaded from a file), the independent
 * evaluation model, the attack and its parameters, optionally the black-box attack and the
 * countermeasure experiment (null when absent), and where results go.
 */
public record ExperimentConfig(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("dataset") DatasetConfig dataset,
        @JsonProperty("split") SplitSpec split,
        @JsonProperty("targets") List<TargetConfig> targets,
        @JsonProperty("evaluator") TargetConfig evaluator,
        @JsonProperty("attack") AttackConfig attack,
        @JsonProperty("blackbox") BlackBoxConfig blackbox,
        @JsonProperty("countermeasures") CountermeasureConfig countermeasures,
        @JsonProperty("sweep") SweepConfig sweep,
        @JsonProperty("output") String output,
        @JsonProperty("attacks") List<AttackEntry> attacks,
        @JsonProperty("protocol") ProtocolConfig protocol,
        @JsonProperty("gan") GanSectionConfig gan) {

    public ExperimentConfig {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new Mi4jException("name must be set and use only letters, digits, '.', '_' or '-', got " + name);
        }
        description = description == null ? "" : description;
        dataset = dataset == null ? new DatasetConfig("att-faces", null) : dataset;
        // No split, or a partial one: the rest is the dataset's default (AT&T's is the paper's 7/3).
        split = (split == null ? SplitSpec.UNSET : split).withDefaultsOf(dev.mi4j.datasets.DatasetRegistry.get(dataset.name()));
        if (targets == null || targets.isEmpty()) {
            throw new Mi4jException("targets must list at least one target model");
        }
        targets = List.copyOf(targets);
        evaluator = evaluator == null ? new TargetConfig("eval", null, null, null, null) : evaluator;
        attack = attack == null ? AttackConfig.defaults() : attack;
        AttackSpec spec = attack.spec();
        AttackParams base = attack.params();
        if (sweep != null) {
            sweep.checkKeys(spec);
        }
        for (int i = 0; i < targets.size(); i++) {
            TargetConfig t = targets.get(i);
            if (t.variants() == null) {
                t.checkRuns("attack", spec, base, attack.values());
                continue;
            }
            for (int j = 0; j < t.variants().size(); j++) {
                Map<String, Object> v = t.variants().get(j);
                String field = "targets[" + i + "].variants[" + j + "]";
                for (String key : v.keySet()) {
                    if (!spec.sweepableKeys().contains(key)) {
                        throw new ConfigKeyException(null, key, field + ": '" + key + "' is not a parameter of attack "
                                + spec.name() + " that a run may vary " + new java.util.TreeSet<>(spec.sweepableKeys()), null);
                    }
                }
                // Names and ranges, as a sweep's values are checked.
                t.checkRuns(field, spec, AttackConfig.validated(field, base, v), v);
            }
        }
        if (spec.needs(base).contains(AttackInputs.Need.GENERATOR) && gan == null && protocol == null) {
            throw new Mi4jException("attack.name: " + spec.name() + " needs a GAN prior: add a protocol: section"
                    + " (the GAN is then trained on its public faces; gan: sets how) or gan.model: a saved GAN");
        }
        output = output == null ? "runs/" + name : output;
        if (attacks != null) {
            attacks = List.copyOf(attacks);
            checkAttacks(attacks, targets, gan, protocol);
        }
        if (gan != null && gan.model() == null && protocol == null) {
            throw new Mi4jException("gan: training the attacker's GAN needs a protocol: section (its public faces), or give"
                    + " gan.model: a GAN saved by mi4j train --model gan");
        }
    }

    /** The config without the attack comparison, protocol and GAN sections. */
    public ExperimentConfig(String name, String description, DatasetConfig dataset, SplitSpec split,
                            List<TargetConfig> targets, TargetConfig evaluator, AttackConfig attack, BlackBoxConfig blackbox,
                            CountermeasureConfig countermeasures, SweepConfig sweep, String output) {
        this(name, description, dataset, split, targets, evaluator, attack, blackbox, countermeasures, sweep, output,
                null, null, null);
    }

    /**
     * A refused value inside the {@code attacks:} list, located by its key's line (the loader's
     * section lookup only knows top-level sections).
     */
    private static AttackParams inList(java.util.function.Supplier<AttackParams> validation) {
        try {
            return validation.get();
        } catch (ConfigKeyException e) {
            throw new ConfigKeyException(null, e.key(), e.getMessage(), e);
        }
    }

    /**
     * The {@code attacks:} entries checked as the attack section is: known attack names, declared
     * keys and valid values (for each variant too, which may only vary sweepable keys), unique
     * labels, runs the targets can serve, and a GAN for attacks that need one.
     */
    private static void checkAttacks(List<AttackEntry> attacks, List<TargetConfig> targets, GanSectionConfig gan,
                                     ProtocolConfig protocol) {
        if (attacks.isEmpty()) {
            throw new Mi4jException("attacks: list at least one attack, or leave it out");
        }
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (int i = 0; i < attacks.size(); i++) {
            AttackEntry e = attacks.get(i);
            String field = "attacks[" + i + "]";
            if (!labels.add(e.label()) || !labels.add("folder:" + e.folder())) {
                throw new Mi4jException(field + ".label: '" + e.label() + "' is used twice (labels name columns and folders)");
            }
            AttackSpec spec;
            try {
                spec = dev.mi4j.attacks.AttackRegistry.get(e.attack().name());
            } catch (IllegalArgumentException ex) {
                throw new ConfigKeyException(null, "name", field + ".attack.name: " + ex.getMessage(), ex);
            }
            AttackParams base = inList(() -> AttackConfig.validated(field + ".attack", spec.defaults(), e.attack().values()));
            for (int j = 0; j < e.runs().size(); j++) {
                Map<String, Object> v = e.runs().get(j);
                String vf = field + ".variants[" + j + "]";
                for (String key : v.keySet()) {
                    if (!spec.sweepableKeys().contains(key)) {
                        throw new ConfigKeyException(null, key, vf + ": '" + key + "' is not a parameter of attack "
                                + spec.name() + " that a run may vary " + new java.util.TreeSet<>(spec.sweepableKeys()), null);
                    }
                }
                AttackParams p = inList(() -> AttackConfig.validated(vf, base, v));
                if (spec.needs(p).contains(AttackInputs.Need.GENERATOR) && gan == null && protocol == null) {
                    throw new Mi4jException(field + ": attack " + spec.name() + " needs a GAN prior: add a protocol: section"
                            + " (the GAN is then trained on its public faces; gan: sets how) or gan.model: a saved GAN");
                }
                if (e.blackBox() && spec.needs(p).contains(AttackInputs.Need.AUTOENCODER)) {
                    throw new Mi4jException(field + ": a black-box attacker has the model's confidences, not its autoencoder ("
                            + spec.name() + " " + v + ")");
                }
                for (TargetConfig t : targets) {
                    t.checkRuns(vf, spec, p, v);
                }
            }
        }
    }

    /**
     * The white-box runs of a target: its own {@code variants} (each a map of attack parameters
     * that differ from the attack section, e.g. {@code {process: dae, lambda: 100}}, to compare
     * MI-Face without and with Process-DAE), else one run with the attack section as it is.
     */
    public List<Map<String, Object>> variants(TargetConfig target) {
        return target.variants() != null ? target.variants() : List.of(Map.of());
    }

    /** The dataset: a registered name, optionally an explicit folder. */
    public record DatasetConfig(@JsonProperty("name") String name, @JsonProperty("path") String path) {
        public DatasetConfig {
            if (name == null || name.isBlank()) {
                throw new Mi4jException("dataset.name must be set (e.g. att-faces)");
            }
        }

        /** Loads (resolves and verifies) the dataset; {@code override} replaces the configured path. */
        public dev.mi4j.datasets.LoadedDataset load(java.util.Optional<java.nio.file.Path> override) {
            return dev.mi4j.datasets.Datasets.load(name,
                    override.or(() -> java.util.Optional.ofNullable(path).map(java.nio.file.Path::of)),
                    dev.mi4j.datasets.LoadOptions.defaults(dev.mi4j.datasets.DatasetRegistry.get(name)));
        }
    }

    /**
     * A target (or the evaluation model): an architecture trained with the given seed and
     * optional overrides of the architecture's training defaults, or a saved model file.
     */
    public record TargetConfig(@JsonProperty("architecture") String architecture,
                               @JsonProperty("model") String model,
                               @JsonProperty("seed") Long seed,
                               @JsonProperty("epochs") Integer epochs,
                               @JsonProperty("learningRate") Double learningRate,
                               @JsonProperty("pretrainEpochs") Integer pretrainEpochs,
                               @JsonProperty("variants") List<Map<String, Object>> variants,
                               @JsonProperty("defense") String defense) {
        public TargetConfig {
            if ((architecture == null) == (model == null)) {
                throw new Mi4jException("a target needs exactly one of 'architecture' (train it) or 'model' (a saved model file)");
            }
            if (epochs != null && epochs < 1) {
                throw new Mi4jException("epochs must be >= 1, got " + epochs);
            }
            if (learningRate != null && !(learningRate > 0)) {
                throw new Mi4jException("learningRate must be > 0, got " + learningRate);
            }
            if (pretrainEpochs != null && pretrainEpochs < 1) {
                throw new Mi4jException("pretrainEpochs must be >= 1, got " + pretrainEpochs);
            }
            if (defense != null) {
                if (model != null) {
                    throw new Mi4jException("defense: a training defense applies to a target mi4j trains (architecture), not to a"
                            + " saved model file");
                }
                try {
                    // Canonical form: two spellings of one defense train (and cache) the same model.
                    defense = TrainingDefenses.parseOptional(defense).map(TrainingDefense::spec).orElse(null);
                } catch (IllegalArgumentException e) {
                    throw new Mi4jException("defense: " + e.getMessage(), e);
                }
            }
            if (variants != null) {
                if (variants.isEmpty()) {
                    throw new Mi4jException("variants: list at least one run (e.g. [{process: identity}, {process: dae}])"
                            + " or leave it out");
                }
                List<Map<String, Object>> copy = new java.util.ArrayList<>();
                for (Map<String, Object> v : variants) {
                    if (v == null) {
                        throw new Mi4jException("variants: an entry is empty");
                    }
                    copy.add(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(v)));
                }
                variants = List.copyOf(copy);
            }
        }

        /**
         * Refuses, before anything is trained, a run this target cannot serve: an attack that
         * needs an autoencoder (MI-Face's Process-DAE) needs a target that has one, and only a
         * {@code dae} target does. (A saved model file is checked when it is loaded.)
         */
        public void checkRuns(String field, AttackSpec attack, AttackParams params, Map<String, ?> written) {
            if (architecture != null && attack.needs(params).contains(AttackInputs.Need.AUTOENCODER)
                    && !Architecture.parse(architecture).hasAutoencoder()) {
                throw new Mi4jException(field + ": " + attack.name() + " " + written
                        + " needs the autoencoder of a dae target, but this target's architecture is " + architecture);
            }
        }

        /** A target without its own variants (it takes the attack's) and without a training defense. */
        public TargetConfig(String architecture, String model, Long seed, Integer epochs, Double learningRate) {
            this(architecture, model, seed, epochs, learningRate, null, null, null);
        }

        /** The training defense, if any (validated when the config was read). */
        public java.util.Optional<TrainingDefense> trainingDefense() {
            return TrainingDefenses.parseOptional(defense);
        }

        /** This target trained with {@code spec} as its training defense (null: none). */
        public TargetConfig withDefense(String spec) {
            return new TargetConfig(architecture, model, seed, epochs, learningRate, pretrainEpochs, variants, spec);
        }

        public long seedOr(long fallback) {
            return seed == null ? fallback : seed;
        }
    }
}
