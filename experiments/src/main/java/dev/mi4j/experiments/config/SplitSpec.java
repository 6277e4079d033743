package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.data.Split;
import dev.mi4j.datasets.Splits;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a dataset is split into the target's private training set and a held-out test set:
 * per identity, {@code trainPerIdentity} images of each identity for training, seeded.
 */
public record SplitSpec(@JsonProperty("trainPerIdentity") int trainPerIdentity, @JsonProperty("seed") long seed) {

    public static final SplitSpec ATT_DEFAULT = new SplitSpec(7, 42);

    public SplitSpec {
        if (trainPerIdentity < 1) {
            throw new Mi4jException("split.trainPerIdentity must be >= 1, got " + trainPerIdentity);
        }
    }

    public Split apply(LabeledImages data) {
        return Splits.perIdentity(data, trainPerIdentity, seed);
    }

    /** Keys under which the split is recorded in a model's provenance hyperparameters. */
    public Map<String, Object> asProvenance() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split.trainPerIdentity", trainPerIdentity);
        m.put("split.seed", seed);
        return m;
    }

    /** The split a model was trained on, read back from its provenance; null if not recorded. */
    public static SplitSpec fromProvenance(Map<String, ?> hyperparameters) {
        Object t = hyperparameters.get("split.trainPerIdentity");
        Object s = hyperparameters.get("split.seed");
        if (t == null || s == null) {
            return null;
        }
        return new SplitSpec(((Number) t).intValue(), ((Number) s).longValue());
    }
}
