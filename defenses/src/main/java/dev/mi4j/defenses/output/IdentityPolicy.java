package dev.mi4j.defenses.output;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** No countermeasure: the attacker sees the model's probabilities (a copy). */
public final class IdentityPolicy implements OutputPolicy {

    public static final IdentityPolicy INSTANCE = new IdentityPolicy();

    private IdentityPolicy() {
    }

    @Override
    public INDArray apply(INDArray probabilities) {
        return probabilities.dup();
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public Map<String, Object> params() {
        return Map.of();
    }

    @Override
    public String spec() {
        return "identity";
    }

    @Override
    public String toString() {
        return spec();
    }
}
