package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.data.Split;
import dev.mi4j.datasets.DatasetSpec;
import dev.mi4j.datasets.SplitRule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a dataset is split into the target's private training set and a held-out test set, as a
 * config's {@code split:} section or the command line's split options give it: per identity,
 * {@code trainPerIdentity} images or a {@code trainFraction} of its images for training, seeded.
 * Every field may be left out: what is missing comes from the dataset's default
 * ({@link DatasetSpec#defaultSplit()}, see {@link #withDefaultsOf}); the split is applied (and
 * recorded) only once it is complete. The rule itself is {@link SplitRule}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SplitSpec(@JsonProperty("trainPerIdentity") Integer trainPerIdentity,
                        @JsonProperty("trainFraction") Double trainFraction,
                        @JsonProperty("seed") Long seed) {

    /** Nothing given: the dataset's default split. */
    public static final SplitSpec UNSET = new SplitSpec(null, null, null);

    public SplitSpec {
        if (trainPerIdentity != null && trainFraction != null) {
            throw new Mi4jException("split: give trainPerIdentity or trainFraction, not both (got " + trainPerIdentity
                    + " and " + trainFraction + ")");
        }
        if (trainPerIdentity != null && trainPerIdentity < 1) {
            throw new Mi4jException("split.trainPerIdentity must be >= 1, got " + trainPerIdentity);
        }
        if (trainFraction != null && !(trainFraction > 0 && trainFraction < 1)) {
            throw new Mi4jException("split.trainFraction must be > 0 and < 1, got " + trainFraction);
        }
    }

    /** The dataset's default split, complete. */
    public static SplitSpec defaultFor(DatasetSpec dataset) {
        return of(dataset.defaultSplit());
    }

    public static SplitSpec of(SplitRule rule) {
        return new SplitSpec(rule.trainPerIdentity(), rule.trainFraction(), rule.seed());
    }

    /**
     * This split completed from the dataset's default: with neither a count nor a fraction, the
     * default's; without a seed, the default's seed.
     */
    public SplitSpec withDefaultsOf(DatasetSpec dataset) {
        SplitRule d = dataset.defaultSplit();
        boolean noRule = trainPerIdentity == null && trainFraction == null;
        return new SplitSpec(noRule ? d.trainPerIdentity() : trainPerIdentity, noRule ? d.trainFraction() : trainFraction,
                seed != null ? seed : d.seed());
    }

    /** The complete rule; only for a split completed by {@link #withDefaultsOf} or given in full. */
    public SplitRule rule() {
        if (seed == null || (trainPerIdentity == null && trainFraction == null)) {
            throw new IllegalStateException("split " + this + " is incomplete: complete it with withDefaultsOf(dataset)");
        }
        return new SplitRule(trainPerIdentity, trainFraction, seed);
    }

    public Split apply(LabeledImages data) {
        return rule().apply(data);
    }

    /**
     * The split as one cache-key token: the count alone (as before fractions existed, so that
     * cached models of count splits keep their keys), or "fraction=" and the fraction.
     */
    public String keyToken() {
        SplitRule r = rule();
        return r.trainPerIdentity() != null ? String.valueOf(r.trainPerIdentity()) : "fraction=" + r.trainFraction();
    }

    /** Keys under which the split is recorded in a model's provenance hyperparameters. */
    public Map<String, Object> asProvenance() {
        SplitRule r = rule();
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.trainPerIdentity() != null) {
            m.put("split.trainPerIdentity", r.trainPerIdentity());
        } else {
            m.put("split.trainFraction", r.trainFraction());
        }
        m.put("split.seed", r.seed());
        return m;
    }

    /** The split a model was trained on, read back from its provenance; null if not recorded. */
    public static SplitSpec fromProvenance(Map<String, ?> hyperparameters) {
        Object t = hyperparameters.get("split.trainPerIdentity");
        Object f = hyperparameters.get("split.trainFraction");
        Object s = hyperparameters.get("split.seed");
        if ((t == null && f == null) || s == null) {
            return null;
        }
        return new SplitSpec(t == null ? null : ((Number) t).intValue(), f == null ? null : ((Number) f).doubleValue(),
                ((Number) s).longValue());
    }
}
