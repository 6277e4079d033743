package dev.mi4j.defenses.output;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A countermeasure on the prediction API's output: it maps the model's probabilities to what
 * the attacker is shown (Fredrikson et al., CCS 2015, Section 6 round the confidences).
 *
 * <p>Implementations never modify their argument and return a new [n, k] tensor of the same
 * data type. Only {@link GaussianNoise} is stateful (its random stream advances per call).
 */
public interface OutputPolicy {

    /**
     * What the attacker sees.
     *
     * @param probabilities [n, k] model probabilities, one row per image
     * @return [n, k] the released scores; rows need not sum to 1 (rounding, top-k)
     */
    INDArray apply(INDArray probabilities);

    /** Short name: identity, round, topk, label, noise. */
    String name();

    /** Parameters by name, for result records (insertion-ordered). */
    Map<String, Object> params();

    /** The canonical config string, which {@link OutputPolicies#parse} reads back. */
    String spec();
}
