package dev.mi4j.experiments.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.defenses.output.OutputPolicies;
import dev.mi4j.defenses.output.OutputPolicy;
import dev.mi4j.experiments.config.AttackConfig;
import dev.mi4j.experiments.config.AttackEntry;
import dev.mi4j.experiments.config.BlackBoxConfig;
import dev.mi4j.experiments.config.ConfigKeyException;
import dev.mi4j.experiments.config.ConfigLoader;
import dev.mi4j.experiments.config.ExperimentConfig.TargetConfig;
import dev.mi4j.experiments.config.GanSectionConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code mi4j audit} runs and how it judges ({@code configs/audit.yaml}; {@code --config} for
 * another file). Every section is optional; a missing one takes the defaults below, which the
 * shipped file spells out with its reasons.
 *
 * @param risk               the thresholds ({@link RiskRule})
 * @param evaluator          the independent evaluation model trained on the audit dataset (default: the
 *                           {@code eval} CNN, seed 7, as in the paper reproduction)
 * @param whiteBox           the white-box attack, run when the model gives input gradients (default:
 *                           MI-Face, 1000 steps, three objective/init variants; the attacker keeps per
 *                           identity the variant the model is most confident about)
 * @param blackBox           the black-box attack, from the model's confidences only, with its gradient
 *                           estimator (default: MI-Face behind NES, 25 antithetic pairs, 300 steps of 1.0)
 * @param blackBoxIdentities identities the black-box attack runs on, the first ones (default 8; all of
 *                           them when the model gives no gradients); its query budget is per run
 * @param gmi                the generative attack, run when public faces are given and the model's input
 *                           is a square power-of-two image (default: GMI, 1500 steps, 5 restarts)
 * @param gan                the GAN prior trained on the public faces for GMI
 * @param countermeasures    the output countermeasures the strongest black-box attack is re-run against
 * @param quick              the --quick settings (tests, CI)
 * @param attribute          what a tabular model's audit runs and its thresholds ({@link AttributeAuditConfig})
 */
public record AuditConfig(@JsonProperty("risk") RiskRule risk,
                          @JsonProperty("evaluator") TargetConfig evaluator,
                          @JsonProperty("whiteBox") AttackEntry whiteBox,
                          @JsonProperty("blackBox") AttackEntry blackBox,
                          @JsonProperty("blackBoxIdentities") Integer blackBoxIdentities,
                          @JsonProperty("gmi") AttackEntry gmi,
                          @JsonProperty("gan") GanSectionConfig gan,
                          @JsonProperty("countermeasures") Countermeasures countermeasures,
                          @JsonProperty("quick") Quick quick,
                          @JsonProperty("attribute") AttributeAuditConfig attribute) {

    /**
     * @param policies   output policies (see {@link OutputPolicies}), each a re-run of the attack
     * @param identities identities of those re-runs, the first ones (default 4)
     * @param alpha      their iterations at most (default 200)
     */
    public record Countermeasures(@JsonProperty("policies") List<String> policies,
                                  @JsonProperty("identities") Integer identities, @JsonProperty("alpha") Integer alpha) {
        public Countermeasures {
            alpha = positive("countermeasures.alpha", alpha, 200);
            policies = policies == null ? List.of("identity", "round:0.001", "round:0.01", "round:0.1", "topk:1", "label")
                    : List.copyOf(policies);
            identities = identities == null ? 4 : identities;
            if (identities < 1) {
                throw new Mi4jException("countermeasures.identities must be >= 1, got " + identities);
            }
            for (String p : policies) {
                try {
                    OutputPolicies.parse(p);
                } catch (IllegalArgumentException e) {
                    throw new Mi4jException("countermeasures.policies: " + e.getMessage(), e);
                }
            }
        }

        public List<OutputPolicy> parsed() {
            return policies.stream().map(OutputPolicies::parse).toList();
        }
    }

    /**
     * @param iterations      every attack's iterations at most
     * @param identities      identities attacked at most
     * @param evaluatorEpochs the evaluation model's training epochs at most
     * @param ganEpochs       the GAN's training epochs
     */
    public record Quick(@JsonProperty("iterations") Integer iterations, @JsonProperty("identities") Integer identities,
                        @JsonProperty("evaluatorEpochs") Integer evaluatorEpochs, @JsonProperty("ganEpochs") Integer ganEpochs) {
        public Quick {
            iterations = positive("quick.iterations", iterations, 30);
            identities = positive("quick.identities", identities, 4);
            evaluatorEpochs = positive("quick.evaluatorEpochs", evaluatorEpochs, 8);
            ganEpochs = positive("quick.ganEpochs", ganEpochs, 1);
        }
    }

    public AuditConfig {
        risk = risk == null ? RiskRule.DEFAULTS : risk;
        evaluator = evaluator == null ? new TargetConfig("eval", null, 7L, null, null) : evaluator;
        whiteBox = whiteBox == null ? new AttackEntry("white-box MI-Face", AttackConfig.of("mi-face", "all",
                ordered("alpha", 1000, "beta", 100, "gamma", 0.99, "lambda", 0.1)),
                List.of(ordered("objective", "one_minus_p", "init", "zeros"), ordered("objective", "neg_log_p", "init", "zeros"),
                        ordered("objective", "neg_log_p", "init", "uniform")), null) : whiteBox;
        blackBox = blackBox == null ? new AttackEntry("black-box MI-Face", AttackConfig.of("mi-face", "all", Map.of()), null,
                new BlackBoxConfig("nes", 25, 0.01, null, null, 1024, null, 300, 1.0, 1L, null)) : blackBox;
        blackBoxIdentities = positive("blackBoxIdentities", blackBoxIdentities, 8);
        gmi = gmi == null ? new AttackEntry("GMI", AttackConfig.of("gmi", "all", Map.of()), null, null) : gmi;
        gan = gan == null ? GanSectionConfig.defaults() : gan;
        countermeasures = countermeasures == null ? new Countermeasures(null, null, null) : countermeasures;
        quick = quick == null ? new Quick(null, null, null, null) : quick;
        attribute = attribute == null ? AttributeAuditConfig.defaults() : attribute;
        if (blackBox.blackbox() == null) {
            throw new Mi4jException("blackBox.blackbox: the black-box attack needs its gradient estimator section");
        }
        if (whiteBox.blackbox() != null) {
            throw new Mi4jException("whiteBox.blackbox: the white-box attack differentiates the model; leave blackbox: out");
        }
    }

    /** Every default. */
    public static AuditConfig defaults() {
        return new AuditConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Reads an audit config strictly (unknown keys, wrong types and invalid values are one line naming
     * the file, the line where it can be found, and the key) and checks every attack's parameters.
     */
    public static AuditConfig load(Path file) {
        AuditConfig c = ConfigLoader.read(file, AuditConfig.class);
        try {
            c.params(c.whiteBox(), "whiteBox");
            c.params(c.blackBox(), "blackBox");
            c.params(c.gmi(), "gmi");
        } catch (ConfigKeyException e) {
            throw new Mi4jException(file + ": " + e.getMessage(), e);
        }
        return c;
    }

    /** The validated parameters of each run of an entry (its variants), black-box caps applied. */
    public List<AttackParams> params(AttackEntry entry, String field) {
        return entry.runs().stream().map(v -> {
            AttackParams p;
            try {
                p = entry.attack().params(v);
            } catch (ConfigKeyException e) {
                throw new ConfigKeyException(field, e.key(), field + "." + e.getMessage(), e);
            }
            return entry.blackbox() == null ? p : entry.blackbox().apply(p);
        }).toList();
    }

    /** Whether an entry's runs ask for the attacker's prior image (MI-Face's mean init). */
    static boolean needsPrior(AttackParams p) {
        return p.spec().needs(p).contains(AttackInputs.Need.MEAN_IMAGE);
    }

    /** A map in the order written (variant names and folders must not depend on Map.of's iteration order). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static int positive(String key, Integer v, int dflt) {
        int x = v == null ? dflt : v;
        if (x < 1) {
            throw new Mi4jException(key + " must be >= 1, got " + x);
        }
        return x;
    }
}
