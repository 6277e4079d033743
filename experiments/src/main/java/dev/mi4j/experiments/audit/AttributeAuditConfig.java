package dev.mi4j.experiments.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.defenses.output.OutputPolicies;
import dev.mi4j.defenses.output.OutputPolicy;
import dev.mi4j.experiments.attribute.AttributeStudyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code attribute:} section of the audit config: what {@code mi4j audit} runs against a tabular
 * model (attribute inference, CCS 2015 Section 4) and how it judges the result ({@link AttributeRisk}).
 *
 * @param attacks         attribute-inference attacks, as in a study config ({@code name} plus parameters);
 *                        default: the prior baseline, the black-box MAP estimator, the white-box tree
 *                        estimator with counts and with per-class counts (trees only)
 * @param countermeasures output policies the black-box estimator is re-run behind (default: identity,
 *                        round:0.01, round:0.1, label)
 * @param gainHigh        accuracy gain over the prior baseline on the training records that makes a
 *                        model HIGH risk (default 0.05), when significant ({@code alpha})
 * @param gainMedium      ... MEDIUM risk (default 0.02)
 * @param precisionHigh   precision for the positive value (e.g. "cheated: Yes") at or above which, with
 *                        at least {@code minExposed} training records exposed, a model is HIGH risk (default 0.75)
 * @param precisionMedium ... MEDIUM risk (default 0.5)
 * @param minExposed      training records whose positive value the attack must reveal correctly for the
 *                        precision rule (default 5)
 * @param alpha           significance level of the one-sided exact McNemar test the gain rule needs
 *                        (the attack and the prior judged on the same records; default 0.05)
 */
public record AttributeAuditConfig(@JsonProperty("attacks") List<Map<String, Object>> attacks,
                                   @JsonProperty("countermeasures") List<String> countermeasures,
                                   @JsonProperty("gainHigh") Double gainHigh,
                                   @JsonProperty("gainMedium") Double gainMedium,
                                   @JsonProperty("precisionHigh") Double precisionHigh,
                                   @JsonProperty("precisionMedium") Double precisionMedium,
                                   @JsonProperty("minExposed") Integer minExposed,
                                   @JsonProperty("alpha") Double alpha) {

    public AttributeAuditConfig {
        if (attacks == null) {
            attacks = List.of(entry("attribute-prior"), entry("attribute-blackbox"), entry("attribute-whitebox"),
                    entry("attribute-whitebox", "counts", "label"));
        }
        attacks = List.copyOf(attacks);
        for (int i = 0; i < attacks.size(); i++) {
            try {
                AttributeStudyConfig.params(attacks.get(i), i);
            } catch (IllegalArgumentException e) {
                throw new Mi4jException("attribute." + e.getMessage(), e);
            }
        }
        countermeasures = countermeasures == null ? List.of("identity", "round:0.01", "round:0.1", "label")
                : List.copyOf(countermeasures);
        for (String p : countermeasures) {
            try {
                OutputPolicies.parse(p);
            } catch (IllegalArgumentException e) {
                throw new Mi4jException("attribute.countermeasures: " + e.getMessage(), e);
            }
        }
        gainHigh = fraction("attribute.gainHigh", gainHigh, 0.05);
        gainMedium = fraction("attribute.gainMedium", gainMedium, 0.02);
        precisionHigh = fraction("attribute.precisionHigh", precisionHigh, 0.75);
        precisionMedium = fraction("attribute.precisionMedium", precisionMedium, 0.5);
        alpha = fraction("attribute.alpha", alpha, 0.05);
        minExposed = minExposed == null ? 5 : minExposed;
        if (minExposed < 1) {
            throw new Mi4jException("attribute.minExposed must be >= 1, got " + minExposed);
        }
        if (gainMedium > gainHigh || precisionMedium > precisionHigh) {
            throw new Mi4jException("attribute: the MEDIUM thresholds must not exceed the HIGH ones (gainMedium "
                    + gainMedium + " vs gainHigh " + gainHigh + ", precisionMedium " + precisionMedium + " vs precisionHigh "
                    + precisionHigh + ")");
        }
    }

    public static AttributeAuditConfig defaults() {
        return new AttributeAuditConfig(null, null, null, null, null, null, null, null);
    }

    /** Validated parameters of attack entry {@code i}. */
    public AttackParams params(int i) {
        return AttributeStudyConfig.params(attacks.get(i), i);
    }

    /** The attack of entry {@code i}. */
    public dev.mi4j.attacks.attribute.AttributeAttackSpec spec(int i) {
        return dev.mi4j.attacks.AttackRegistry.attribute(String.valueOf(attacks.get(i).get("name")));
    }

    public List<OutputPolicy> policies() {
        List<OutputPolicy> l = new ArrayList<>();
        countermeasures.forEach(p -> l.add(OutputPolicies.parse(p)));
        return l;
    }

    /** The rule in words, for verdict.json and the report. */
    public String rule() {
        return String.format(java.util.Locale.ROOT, "HIGH when an attack, on the model's training records, beats the prior"
                        + " baseline's accuracy by >= %.3f (one-sided exact McNemar p <= %.2f), or reveals the positive value"
                        + " of >= %d records with precision >= %.2f; MEDIUM at a gain >= %.3f (same test) or a precision >= %.2f"
                        + " (same count); else LOW. The model's risk is its strongest attack's.",
                gainHigh, alpha, minExposed, precisionHigh, gainMedium, precisionMedium);
    }

    private static Map<String, Object> entry(String name, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static double fraction(String key, Double v, double dflt) {
        double x = v == null ? dflt : v;
        if (!(x >= 0 && x <= 1)) {
            throw new Mi4jException(key + " must be in [0, 1], got " + x);
        }
        return x;
    }
}
