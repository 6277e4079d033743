package dev.mi4j.attacks.blackbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Natural evolution strategies with antithetic Gaussian samples (Wierstra et al.; Ilyas et al.
 * 2018 for black-box attacks):
 * g = 1 / (2 sigma N) * sum_i [c(x + sigma u_i) - c(x - sigma u_i)] u_i, u_i ~ N(0, I).
 * This estimates the gradient of the Gaussian-smoothed cost, unbiased as sigma -> 0; each image
 * costs 2N queries per estimate whatever its size.
 *
 * <p>One set of N directions is drawn per probe (per attack step) from a seeded
 * {@link Random} and shared by all images of that step: each image's estimate is still
 * unbiased, the combination is a single matrix product, and memory is N x dims rather than
 * images x N x dims. Perturbed pixels are not clipped to [0, 1].
 */
public final class NesEstimator implements GradientEstimator {

    private final int samples;
    private final double sigma;
    private final long seed;
    private final Random random;

    public NesEstimator(int samples, double sigma, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("NesEstimator: samples (antithetic pairs) must be >= 1, got " + samples);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("NesEstimator: sigma must be finite and > 0, got " + sigma);
        }
        this.samples = samples;
        this.sigma = sigma;
        this.seed = seed;
        this.random = new Random(seed);
    }

    public int samples() {
        return samples;
    }

    public double sigma() {
        return sigma;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String name() {
        return "nes";
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("samples", samples);
        p.put("sigma", sigma);
        p.put("seed", seed);
        return p;
    }

    @Override
    public int pairs(int dims) {
        return samples;
    }

    @Override
    public Probe probe(int dims, DataType type) {
        double[] u = new double[samples * dims];
        for (int i = 0; i < u.length; i++) {
            u[i] = random.nextGaussian();
        }
        return new GaussianProbe(Nd4j.createFromArray(u).reshape(samples, dims).castTo(type));
    }

    private final class GaussianProbe implements Probe {
        private final INDArray directions;

        GaussianProbe(INDArray directions) {
            this.directions = directions;
        }

        @Override
        public int pairs() {
            return samples;
        }

        @Override
        public void perturb(INDArray image, boolean plus, int fromPair, int toPair, INDArray dest) {
            dest.assign(directions.get(NDArrayIndex.interval(fromPair, toPair), NDArrayIndex.all()))
                    .muli(plus ? sigma : -sigma)
                    .addiRowVector(image);
        }

        @Override
        public INDArray combine(double[][] differences, DataType type) {
            INDArray d = Nd4j.create(differences).castTo(type);
            return d.mmul(directions).muli(1.0 / (2 * sigma * samples));
        }
    }

    @Override
    public String toString() {
        return "nes" + params();
    }
}
