package dev.mi4j.experiments.attribute;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackRegistry;
import dev.mi4j.attacks.attribute.AttributeAttackSpec;
import dev.mi4j.core.tabular.CartTree;
import dev.mi4j.core.tabular.TabularNetwork;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.defenses.output.OutputPolicies;
import dev.mi4j.defenses.output.OutputPolicy;
import dev.mi4j.defenses.training.TrainingDefense;
import dev.mi4j.defenses.training.TrainingDefenses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An attribute-inference study (CCS 2015 Section 4), read from a YAML file whose top-level
 * {@code study: attribute-inference} sets it apart from the image experiments of
 * {@code ExperimentConfig}; {@code mi4j reproduce} dispatches on that key. Every value is validated
 * when the file is read (an attack's parameters against its declaration, policies and defenses by
 * their parsers), so a bad value is one line naming the file and key before anything trains.
 *
 * @param study       must be "attribute-inference"
 * @param name        study name
 * @param description one line
 * @param dataset     a registered table (e.g. steak-survey)
 * @param sensitive   the sensitive column (default: the dataset's)
 * @param positive    its value whose precision and recall are reported (default: the dataset's)
 * @param members     share of each class's records the targets are trained on, in (0, 1)
 * @param seeds       one split and training seed per repetition; counts are pooled over them
 * @param targets     the models
 * @param releases    what the prediction API releases: output policy specs (identity, round:0.1, label, ...)
 * @param attacks     attribute attacks, each {@code name} and its parameters
 * @param quick       what {@code --quick} keeps
 * @param output      output folder
 */
public record AttributeStudyConfig(
        @JsonProperty("study") String study,
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("sensitive") String sensitive,
        @JsonProperty("positive") String positive,
        @JsonProperty("members") Double members,
        @JsonProperty("seeds") List<Long> seeds,
        @JsonProperty("targets") List<Target> targets,
        @JsonProperty("releases") List<String> releases,
        @JsonProperty("attacks") List<Map<String, Object>> attacks,
        @JsonProperty("quick") Quick quick,
        @JsonProperty("output") String output) {

    /** The {@code study:} value of this kind of config. */
    public static final String KIND = "attribute-inference";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public AttributeStudyConfig {
        if (!KIND.equals(study)) {
            throw new IllegalArgumentException("study: must be " + KIND + ", got " + study);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: required");
        }
        description = description == null ? "" : description;
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("dataset: required (a registered table, e.g. steak-survey)");
        }
        members = members == null ? 0.5 : members;
        if (!(members > 0 && members < 1)) {
            throw new IllegalArgumentException("members: must be in (0, 1), got " + members);
        }
        seeds = seeds == null ? List.of(1L) : List.copyOf(seeds);
        if (seeds.isEmpty() || new HashSet<>(seeds).size() != seeds.size()) {
            throw new IllegalArgumentException("seeds: one or more distinct seeds required, got " + seeds);
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("targets: at least one target required");
        }
        targets = List.copyOf(targets);
        Set<String> names = new HashSet<>();
        for (Target t : targets) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("targets: name " + t.name() + " appears twice");
            }
        }
        releases = releases == null ? List.of("identity") : List.copyOf(releases);
        if (releases.isEmpty()) {
            throw new IllegalArgumentException("releases: at least one output policy required");
        }
        for (String r : releases) {
            try {
                OutputPolicies.parse(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("releases: " + e.getMessage(), e);
            }
        }
        if (attacks == null || attacks.isEmpty()) {
            throw new IllegalArgumentException("attacks: at least one attribute attack required");
        }
        attacks = List.copyOf(attacks);
        for (int i = 0; i < attacks.size(); i++) {
            params(attacks.get(i), i);
        }
        quick = quick == null ? new Quick(null, null) : quick;
        output = output == null ? "runs/" + name : output;
    }

    /** What {@code --quick} keeps: the first {@code seeds} seeds, networks trained at most {@code epochs} epochs. */
    public record Quick(@JsonProperty("seeds") Integer seeds, @JsonProperty("epochs") Integer epochs) {

        public Quick {
            seeds = seeds == null ? 1 : seeds;
            epochs = epochs == null ? 20 : epochs;
            if (seeds < 1 || epochs < 1) {
                throw new IllegalArgumentException("quick: seeds and epochs must be >= 1");
            }
        }
    }

    /**
     * One target model. Tree keys (maxDepth, minChildWeight, minImpurityDecrease, impurity) are for
     * {@code model: cart}; network keys (hidden, epochs, batchSize, learningRate, l2, optimizer,
     * defense) for logreg and mlp; giving one to the other kind is an error naming the key.
     */
    public record Target(
            @JsonProperty("name") String name,
            @JsonProperty("model") String model,
            @JsonProperty("maxDepth") Integer maxDepth,
            @JsonProperty("minChildWeight") Double minChildWeight,
            @JsonProperty("minImpurityDecrease") Double minImpurityDecrease,
            @JsonProperty("impurity") String impurity,
            @JsonProperty("hidden") Integer hidden,
            @JsonProperty("epochs") Integer epochs,
            @JsonProperty("batchSize") Integer batchSize,
            @JsonProperty("learningRate") Double learningRate,
            @JsonProperty("l2") Double l2,
            @JsonProperty("optimizer") String optimizer,
            @JsonProperty("defense") String defense) {

        public Target {
            if (model == null) {
                throw new IllegalArgumentException("model: required (cart, logreg or mlp)");
            }
            model = model.trim().toLowerCase(Locale.ROOT);
            if (!List.of("cart", "logreg", "mlp").contains(model)) {
                throw new IllegalArgumentException("model: unknown '" + model + "' (expected cart, logreg or mlp)");
            }
            name = name == null ? model : name;
            boolean tree = model.equals("cart");
            Map<String, Object> treeKeys = new LinkedHashMap<>();
            treeKeys.put("maxDepth", maxDepth);
            treeKeys.put("minChildWeight", minChildWeight);
            treeKeys.put("minImpurityDecrease", minImpurityDecrease);
            treeKeys.put("impurity", impurity);
            Map<String, Object> netKeys = new LinkedHashMap<>();
            netKeys.put("hidden", hidden);
            netKeys.put("epochs", epochs);
            netKeys.put("batchSize", batchSize);
            netKeys.put("learningRate", learningRate);
            netKeys.put("l2", l2);
            netKeys.put("optimizer", optimizer);
            netKeys.put("defense", defense);
            for (Map.Entry<String, Object> e : (tree ? netKeys : treeKeys).entrySet()) {
                if (e.getValue() != null) {
                    throw new IllegalArgumentException(e.getKey() + ": not a key of a " + model + " target"
                            + (e.getKey().equals("defense") ? " (training defenses act on gradient steps: logreg and mlp)" : ""));
                }
            }
            if (hidden != null && !model.equals("mlp")) {
                throw new IllegalArgumentException("hidden: only an mlp target has a hidden layer");
            }
            // Build once to validate (the constructors name the key). A compact constructor's fields
            // are assigned only after its body, so the static builders get the components directly.
            if (tree) {
                cart(maxDepth, minChildWeight, minImpurityDecrease, impurity, 0);
            } else {
                training(epochs, batchSize, learningRate, l2, optimizer, 0, null);
                if (model.equals("mlp") && hidden != null && hidden < 1) {
                    throw new IllegalArgumentException("hidden: must be >= 1, got " + hidden);
                }
                TrainingDefenses.parseOptional(defense);
            }
        }

        public boolean tree() {
            return model.equals("cart");
        }

        public TabularNetwork.Kind kind() {
            return model.equals("mlp") ? TabularNetwork.Kind.MLP : TabularNetwork.Kind.LOGREG;
        }

        public int hiddenUnits() {
            return hidden == null ? 32 : hidden;
        }

        /** The tree's growth with this seed (defaults: depth 12, children of >= 1 record, Gini). */
        public CartTree.Config cartConfig(long seed) {
            return cart(maxDepth, minChildWeight, minImpurityDecrease, impurity, seed);
        }

        private static CartTree.Config cart(Integer maxDepth, Double minChildWeight, Double minImpurityDecrease,
                                            String impurity, long seed) {
            CartTree.Impurity imp;
            try {
                imp = impurity == null ? CartTree.Impurity.GINI : CartTree.Impurity.valueOf(impurity.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("impurity: unknown '" + impurity + "' (expected gini or entropy)");
            }
            return new CartTree.Config(maxDepth == null ? 12 : maxDepth, minChildWeight == null ? 1 : minChildWeight,
                    minImpurityDecrease == null ? 0 : minImpurityDecrease, imp, seed);
        }

        /**
         * The network's training with this seed, at most {@code maxEpochs} epochs when not null
         * (defaults: Adam, 100 epochs, minibatches of 16, learning rate 0.01, no L2).
         */
        public TrainingConfig trainingConfig(long seed, Integer maxEpochs) {
            return training(epochs, batchSize, learningRate, l2, optimizer, seed, maxEpochs);
        }

        private static TrainingConfig training(Integer epochs, Integer batchSize, Double learningRate, Double l2,
                                               String optimizer, long seed, Integer maxEpochs) {
            TrainingConfig.Optimizer opt;
            try {
                opt = optimizer == null ? TrainingConfig.Optimizer.ADAM
                        : TrainingConfig.Optimizer.valueOf(optimizer.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("optimizer: unknown '" + optimizer + "' (expected adam or nesterov)");
            }
            int e = epochs == null ? 100 : epochs;
            if (maxEpochs != null) {
                e = Math.min(e, maxEpochs);
            }
            return new TrainingConfig(e, batchSize == null ? 16 : batchSize, learningRate == null ? 0.01 : learningRate,
                    l2 == null ? 0 : l2, 0, 1, seed, opt);
        }

        /** The training defense, if any (validated by its parser). */
        public Optional<TrainingDefense> trainingDefense() {
            return TrainingDefenses.parseOptional(defense);
        }
    }

    /** Validated parameters of attack entry {@code i}. */
    public AttackParams attackParams(int i) {
        return params(attacks.get(i), i);
    }

    public AttributeAttackSpec attackSpec(int i) {
        return AttackRegistry.attribute(String.valueOf(attacks.get(i).get("name")));
    }

    /**
     * The validated parameters of one attack entry ({@code {name: attribute-..., key: value}}), errors
     * prefixed {@code attacks[i].}: the study's and the audit's attack lists are read alike.
     */
    public static AttackParams params(Map<String, Object> entry, int i) {
        if (entry == null || entry.get("name") == null) {
            throw new IllegalArgumentException("attacks[" + i + "].name: required (" + String.join(", ",
                    AttackRegistry.names(dev.mi4j.attacks.AttackDeclaration.Family.ATTRIBUTE)) + ")");
        }
        Map<String, Object> p = new LinkedHashMap<>(entry);
        p.remove("name");
        try {
            return AttackRegistry.attribute(String.valueOf(entry.get("name"))).defaults().with(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attacks[" + i + "]." + e.getMessage(), e);
        }
    }

    public List<OutputPolicy> policies() {
        List<OutputPolicy> l = new ArrayList<>();
        releases.forEach(r -> l.add(OutputPolicies.parse(r)));
        return l;
    }

    /** Whether {@code file} is a config of this kind (its top-level {@code study} is {@value #KIND}). */
    public static boolean isStudy(Path file) {
        try {
            JsonNode root = YAML.readTree(Files.readString(file));
            return root != null && root.isObject() && root.has("study") && KIND.equals(root.get("study").asText());
        } catch (IOException e) {
            return false; // the regular reader reports what is wrong with the file
        }
    }

    /** Reads and validates a study config: one line naming the file, line and key on any problem. */
    public static AttributeStudyConfig load(Path file) {
        return dev.mi4j.experiments.config.ConfigLoader.read(file, AttributeStudyConfig.class);
    }
}
