package dev.mi4j.core.train;

import java.util.List;
import java.util.Map;

/**
 * How a {@link Trainer} draws the minibatches of one epoch from the examples it trains on. The
 * plain trainer uses {@link ShuffledBatches} (fixed-size minibatches of a seeded reshuffle, the
 * loop mi4j always had); a {@link GradientHook} may choose another sampler, because some training
 * defenses need it: DP-SGD's privacy analysis (the sampled Gaussian mechanism) assumes each
 * example joins each step independently with probability q, which {@link PoissonBatches} gives.
 *
 * <p>A sampler is stateful (it owns its random stream) and serves one training run.
 */
public interface BatchSampler {

    /**
     * The minibatches of the next epoch: positions in {@code [0, n)} of the training examples
     * (n fixed when the sampler was made), in the order they are stepped on. A minibatch may be
     * empty when the sampler allows it ({@link PoissonBatches}); a hook that accepts such a sampler
     * must handle empty minibatches.
     */
    List<int[]> nextEpoch();

    /** What this sampler is, for provenance, e.g. {@code {sampling=poisson, rate=0.01, ...}}. */
    Map<String, Object> describe();
}
