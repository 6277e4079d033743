package dev.mi4j.defenses.training;

import dev.mi4j.core.train.GradientHook;
import dev.mi4j.core.train.MinibatchStep;
import dev.mi4j.core.train.StepGradient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An L2 weight penalty {@code (c / 2) * ||W||^2} as a defense: the plain regularisation baseline
 * that inversion defenses are compared against (a smoother, less over-fitted model leaks less of
 * its individual training faces). It adds to the configuration's own {@code l2} and means the
 * same: weights only (DL4J's L2 skips biases), gradient {@code c * W} added to the mean
 * minibatch gradient before the optimizer (coupled L2, not AdamW's decoupled decay). In the
 * hook's summed convention that is {@code c * b * W} on the sum of b examples.
 *
 * @param coefficient c &gt;= 0
 */
public record WeightDecay(double coefficient) implements TrainingDefense {

    public static final String NAME = "l2";

    static final DefenseType TYPE = new DefenseType(NAME,
            "L2 weight penalty (c/2)||W||^2 on the weights, on top of the config's l2",
            List.of(DefenseParam.required("coef", "penalty coefficient c", ">= 0 and finite",
                    v -> v >= 0 && !Double.isInfinite(v))),
            "coef", p -> new WeightDecay(p.number("coef")));

    public WeightDecay {
        TYPE.params().get(0).check(NAME, coefficient);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("coef", coefficient);
        return m;
    }

    @Override
    public GradientHook newHook() {
        return new GradientHook() {
            @Override
            public StepGradient step(MinibatchStep step) {
                StepGradient g = step.batchGradient();
                addPenalty(step.net(), g.divisor());
                return g;
            }

            @Override
            public Map<String, Object> report() {
                return record(null);
            }
        };
    }

    /**
     * Adds {@code c * divisor * W} to the gradient of every weight parameter ("W" of each layer),
     * through the per-parameter views that the network's last backward pass left over its
     * flattened gradient (so no assumption about the layout of the flat array).
     */
    private void addPenalty(MultiLayerNetwork net, int divisor) {
        if (coefficient == 0) {
            return;
        }
        Gradient gradient = net.gradient();
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            String key = e.getKey();
            if (key.substring(key.indexOf('_') + 1).equals("W")) {
                gradient.getGradientFor(key).addi(e.getValue().mul(coefficient * divisor));
            }
        }
    }
}
