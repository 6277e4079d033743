package dev.mi4j.defenses.training;

import dev.mi4j.core.train.GradientHook;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training-time defense: a plug-in on the trainer's minibatch gradients
 * ({@link GradientHook}), so that adding one touches its own class and one line of
 * {@link TrainingDefenses}, never the trainer. Instances are immutable and validated when made
 * (bad values are refused with a message naming the parameter); each training run gets a fresh
 * hook from {@link #newHook()}, e.g. {@code new Trainer(defense::newHook)}.
 *
 * <p>Two maps leave a defense: {@link #describe()} (name and parameters: what determines the
 * trained model, so it belongs in the model's hyperparameters and cache key) and the hook's
 * {@link GradientHook#report() report} after training (the same plus what the run measured, e.g.
 * the privacy spent), which goes into the model's provenance under "defense".
 */
public interface TrainingDefense {

    /** Registry name: dp, ls, l2. */
    String name();

    /** The validated parameters, every declared key with a value (defaults included), in declaration order. */
    Map<String, Object> parameters();

    /**
     * Whether the trainer may pick the best epoch on a validation split taken from the training
     * images (early stopping). A differentially private defense says no: that choice looks at
     * the data through a channel its accountant does not count, so such a model trains a fixed
     * number of epochs on all of its training images.
     */
    default boolean allowsModelSelection() {
        return true;
    }

    /** A fresh hook for one training run. */
    GradientHook newHook();

    /** {@code {name=..., parameters={...}}}: what determines the trained model. */
    default Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name());
        m.put("parameters", new LinkedHashMap<>(parameters()));
        return m;
    }

    /** The provenance record: {@link #describe()} followed by what the run measured. */
    default Map<String, Object> record(Map<String, Object> measured) {
        Map<String, Object> m = describe();
        if (measured != null) {
            m.putAll(measured);
        }
        return m;
    }

    /** The canonical spec, which {@link TrainingDefenses#parse} reads back to an equal defense. */
    default String spec() {
        StringBuilder sb = new StringBuilder(name());
        String sep = ":";
        for (Map.Entry<String, Object> e : parameters().entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return sb.toString();
    }
}
