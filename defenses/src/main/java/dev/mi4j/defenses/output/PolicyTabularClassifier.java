package dev.mi4j.defenses.output;

import dev.mi4j.core.tabular.TabularClassifier;
import dev.mi4j.core.tabular.TabularSchema;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A tabular prediction API with a countermeasure: the same {@link OutputPolicy}s as for images
 * (rounding the confidences, releasing only the label, ...) between a {@link TabularClassifier}
 * and its caller, so that an attribute-inference attacker sees what the API releases. Queries are
 * counted by the wrapped classifier.
 */
public final class PolicyTabularClassifier implements TabularClassifier {

    private final TabularClassifier model;
    private final OutputPolicy policy;

    public PolicyTabularClassifier(TabularClassifier model, OutputPolicy policy) {
        this.model = Objects.requireNonNull(model, "model");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public TabularClassifier model() {
        return model;
    }

    public OutputPolicy policy() {
        return policy;
    }

    @Override
    public TabularSchema schema() {
        return model.schema();
    }

    @Override
    public List<String> classes() {
        return model.classes();
    }

    @Override
    public INDArray predict(double[][] records) {
        INDArray p = model.predict(records);
        return p.size(0) == 0 ? p : policy.apply(p);
    }

    @Override
    public long queryCount() {
        return model.queryCount();
    }

    @Override
    public void resetQueryCount() {
        model.resetQueryCount();
    }

    @Override
    public String toString() {
        return "PolicyTabularClassifier[" + policy.spec() + "]";
    }
}
