package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.defenses.output.OutputPolicies;
import dev.mi4j.defenses.output.OutputPolicy;
import dev.mi4j.core.Mi4jException;
import java.util.List;

/**
 * The countermeasure experiment: the black-box attack against each model behind each output
 * policy (the paper rounds confidences to r = 0.001 ... 0.1).
 */
public record CountermeasureConfig(
        @JsonProperty("policies") List<String> policies,
        @JsonProperty("models") List<String> models,
        @JsonProperty("alpha") Integer alpha,
        @JsonProperty("targets") String targets) {

    public CountermeasureConfig {
        policies = policies == null ? List.of("identity", "round:0.001", "round:0.005", "round:0.01", "round:0.05", "round:0.1")
                : List.copyOf(policies);
        models = models == null ? List.of() : List.copyOf(models);
        targets = targets == null ? "all" : targets;
        for (String p : policies) {
            try {
                OutputPolicies.parse(p);
            } catch (IllegalArgumentException e) {
                throw new Mi4jException("countermeasures.policies: " + e.getMessage());
            }
        }
    }

    public List<OutputPolicy> parsedPolicies() {
        return policies.stream().map(OutputPolicies::parse).toList();
    }
}
