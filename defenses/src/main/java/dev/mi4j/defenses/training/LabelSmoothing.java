package dev.mi4j.defenses.training;

import dev.mi4j.core.train.GradientHook;
import dev.mi4j.core.train.MinibatchStep;
import dev.mi4j.core.train.StepGradient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Label smoothing with factor a, positive or negative: the network trains on
 * {@code y' = (1 - a) * y + a / K} (K classes) instead of the one-hot y. Struppek et al. ("Be Careful
 * What You Smooth For", ICLR 2024) found that positive smoothing makes models <em>easier</em> to
 * invert while negative smoothing (a &lt; 0: the true class's target above 1, the others below 0)
 * hinders model inversion at little cost in accuracy; both signs are offered so the effect can be
 * measured.
 *
 * <p>Implemented through the hook, on the labels: each step's gradient is the network's own
 * backward pass against y' ({@link MinibatchStep#batchGradient(INDArray)}). With softmax and
 * cross-entropy (MCXENT, every zoo architecture) that is the exact gradient of
 * {@code -sum_k y'_k log p_k}, because y' still sums to 1; nothing else of the step changes, so
 * a = 0 trains the same parameters, bit for bit, as no defense.
 *
 * @param factor a, in [-1, 1)
 */
public record LabelSmoothing(double factor) implements TrainingDefense {

    public static final String NAME = "ls";

    static final DefenseType TYPE = new DefenseType(NAME,
            "label smoothing y' = (1-a) y + a/K; a < 0 is negative smoothing (Struppek et al. 2024)",
            List.of(DefenseParam.required("factor", "smoothing factor a", "in [-1, 1)", v -> v >= -1 && v < 1)),
            "factor", p -> new LabelSmoothing(p.number("factor")));

    public LabelSmoothing {
        TYPE.params().get(0).check(NAME, factor);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("factor", factor);
        return m;
    }

    /** The smoothed targets of one-hot {@code labels} [b, K]: (1 - a) y + a / K. */
    public INDArray smooth(INDArray labels) {
        long k = labels.size(1);
        return labels.mul(1 - factor).addi(factor / k);
    }

    @Override
    public GradientHook newHook() {
        return new GradientHook() {
            @Override
            public StepGradient step(MinibatchStep step) {
                return step.batchGradient(smooth(step.labels()));
            }

            @Override
            public Map<String, Object> report() {
                return record(null);
            }
        };
    }
}
