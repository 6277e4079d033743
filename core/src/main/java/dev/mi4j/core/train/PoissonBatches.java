package dev.mi4j.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Poisson sampling: every step, each of the n examples joins the minibatch independently with
 * probability {@code rate}, so batch sizes vary (and may be 0). This is the sampling the RDP
 * analysis of DP-SGD (the sampled Gaussian mechanism; Mironov, Talwar &amp; Zhang 2019) assumes;
 * fixed-size shuffled batches are only approximately covered by it. An "epoch" is
 * {@code stepsPerEpoch} steps, by convention {@code round(1 / rate)} so that it sees n examples in
 * expectation (Opacus and TF Privacy count steps the same way).
 */
public final class PoissonBatches implements BatchSampler {

    private final int n;
    private final double rate;
    private final int stepsPerEpoch;
    private final Random rnd;

    /**
     * @param n             number of training examples (>= 1)
     * @param rate          inclusion probability q, in (0, 1]
     * @param stepsPerEpoch steps per epoch (>= 1)
     * @param rnd           the sampling's random stream (owned by this sampler from now on)
     */
    public PoissonBatches(int n, double rate, int stepsPerEpoch, Random rnd) {
        if (n < 1) {
            throw new IllegalArgumentException("n: must be >= 1, got " + n);
        }
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate: must be in (0, 1], got " + rate);
        }
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch: must be >= 1, got " + stepsPerEpoch);
        }
        if (rnd == null) {
            throw new IllegalArgumentException("rnd: must not be null");
        }
        this.n = n;
        this.rate = rate;
        this.stepsPerEpoch = stepsPerEpoch;
        this.rnd = rnd;
    }

    /** Rate {@code expectedBatchSize / n}, {@code ceil(n / expectedBatchSize)} steps per epoch. */
    public static PoissonBatches withExpectedBatchSize(int n, int expectedBatchSize, Random rnd) {
        if (expectedBatchSize < 1 || expectedBatchSize > n) {
            throw new IllegalArgumentException("expectedBatchSize: must be in [1, n=" + n + "], got "
                    + expectedBatchSize);
        }
        return new PoissonBatches(n, (double) expectedBatchSize / n, (n + expectedBatchSize - 1) / expectedBatchSize,
                rnd);
    }

    public double rate() {
        return rate;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public List<int[]> nextEpoch() {
        List<int[]> batches = new ArrayList<>(stepsPerEpoch);
        int[] buf = new int[n];
        for (int s = 0; s < stepsPerEpoch; s++) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (rnd.nextDouble() < rate) {
                    buf[k++] = i;
                }
            }
            batches.add(java.util.Arrays.copyOf(buf, k));
        }
        return batches;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sampling", "poisson");
        m.put("rate", rate);
        m.put("stepsPerEpoch", stepsPerEpoch);
        return m;
    }
}
