package dev.mi4j.defenses.output;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adds independent N(0, sigma^2) noise to every confidence, clips to [0, 1] and renormalises
 * each row to sum 1 (a row clipped to all zeros becomes uniform).
 *
 * <p>The noise comes from a {@link Random} seeded at construction and drawn row by row, class
 * by class, so the output is fully determined by the seed and the sequence of calls (and their
 * shapes). Calls are synchronised so concurrent callers cannot interleave draws.
 */
public final class GaussianNoise implements OutputPolicy {

    private final double sigma;
    private final long seed;
    private final Random random;

    public GaussianNoise(double sigma, long seed) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise: sigma must be finite and >= 0, got " + sigma);
        }
        this.sigma = sigma;
        this.seed = seed;
        this.random = new Random(seed);
    }

    public double sigma() {
        return sigma;
    }

    public long seed() {
        return seed;
    }

    @Override
    public synchronized INDArray apply(INDArray probabilities) {
        double[][] rows = Rows.of(probabilities);
        for (double[] row : rows) {
            double sum = 0;
            for (int j = 0; j < row.length; j++) {
                double v = row[j] + sigma * random.nextGaussian();
                row[j] = Math.min(1, Math.max(0, v));
                sum += row[j];
            }
            for (int j = 0; j < row.length; j++) {
                row[j] = sum > 0 ? row[j] / sum : 1.0 / row.length;
            }
        }
        return Rows.to(rows, probabilities.dataType());
    }

    @Override
    public String name() {
        return "noise";
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sigma", sigma);
        p.put("seed", seed);
        return p;
    }

    @Override
    public String spec() {
        return "noise:" + sigma + ":" + seed;
    }

    @Override
    public String toString() {
        return spec();
    }
}
