package dev.mi4j.defenses.output;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Classifier;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A prediction API with a countermeasure: the wrapped classifier's probabilities pass through
 * the policy before the caller sees them. Queries are counted by the wrapped classifier (this
 * class only delegates), so the count is the same with or without a policy.
 */
public class PolicyClassifier implements Classifier {

    private final Classifier model;
    private final OutputPolicy policy;

    public PolicyClassifier(Classifier model, OutputPolicy policy) {
        this.model = Objects.requireNonNull(model, "model");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Classifier model() {
        return model;
    }

    public OutputPolicy policy() {
        return policy;
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }

    @Override
    public ImageShape inputShape() {
        return model.inputShape();
    }

    @Override
    public INDArray predict(INDArray images) {
        return policy.apply(model.predict(images));
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
        return "PolicyClassifier[" + policy.spec() + "]";
    }
}
