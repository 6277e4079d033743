package dev.mi4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fixed-size minibatches: each epoch reshuffles the example order in place (Fisher-Yates with one
 * seeded {@link Random}, the shuffle accumulating over epochs) and cuts it into consecutive
 * batches of {@code batchSize}, the last one possibly smaller. This is the trainer's sampling since
 * mi4j's first trained model; {@link #forConfig} reproduces it exactly (same seed derivation), which
 * keeps trained models bit-identical and their cache keys valid.
 */
public final class ShuffledBatches implements BatchSampler {

    private final int batchSize;
    private final int[] order;
    private final Random rnd;

    /**
     * @param n         number of training examples (>= 1)
     * @param batchSize minibatch size (>= 1)
     * @param rnd       the shuffle's random stream (owned by this sampler from now on)
     */
    public ShuffledBatches(int n, int batchSize, Random rnd) {
        if (n < 1) {
            throw new IllegalArgumentException("n: must be >= 1, got " + n);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        }
        if (rnd == null) {
            throw new IllegalArgumentException("rnd: must not be null");
        }
        this.batchSize = batchSize;
        this.rnd = rnd;
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
    }

    /** The trainer's default: {@code cfg.batchSize()}, shuffle seeded with {@code cfg.seed() * 31 + 7}. */
    public static ShuffledBatches forConfig(int n, TrainingConfig cfg) {
        return new ShuffledBatches(n, cfg.batchSize(), new Random(cfg.seed() * 31 + 7));
    }

    @Override
    public List<int[]> nextEpoch() {
        Trainer.shuffleInPlace(order, rnd);
        List<int[]> batches = new ArrayList<>((order.length + batchSize - 1) / batchSize);
        for (int from = 0; from < order.length; from += batchSize) {
            batches.add(Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)));
        }
        return batches;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sampling", "shuffled");
        m.put("batchSize", batchSize);
        return m;
    }
}
