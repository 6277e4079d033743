package dev.mi4j.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the GMI prior's DCGAN is trained. The optimiser settings are GMI's (Adam 2e-4, betas 0.5 /
 * 0.999, batch 64); the loss is the non-saturating GAN loss, not GMI's WGAN-GP, because DL4J cannot
 * differentiate a gradient (no gradient penalty).
 *
 * @param epochs       passes over the (flip-augmented) training images, >= 1
 * @param batchSize    real images per step (and as many generated), >= 2
 * @param learningRate Adam's step for both networks, > 0
 * @param beta1        Adam's first-moment decay, in [0, 1)
 * @param beta2        Adam's second-moment decay, in [0, 1)
 * @param latentDim    width of z, >= 1 (GMI: 100)
 * @param width        channels of the discriminator's first layer w (the generator's last hidden
 *                     layer); the networks have w, 2w, 4w, 8w channels; >= 1
 * @param flip         add each training image mirrored left-right (doubles a small public set)
 * @param seed         seeds initialisation, shuffling and every z
 * @param sampleEvery  write the sample grid every this many epochs (0: only at the end)
 */
public record GanConfig(int epochs, int batchSize, double learningRate, double beta1, double beta2, int latentDim,
                        int width, boolean flip, long seed, int sampleEvery) {

    /** GMI's optimiser settings and z width; the width and epochs this machine trains in minutes (see the README). */
    public static final GanConfig DEFAULTS = new GanConfig(40, 64, 2e-4, 0.5, 0.999, 100, 16, true, 1L, 5);

    public GanConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: must be >= 1, got " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize: must be >= 2, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate: must be > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1: must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2: must be in [0, 1), got " + beta2);
        }
        if (latentDim < 1) {
            throw new IllegalArgumentException("latentDim: must be >= 1, got " + latentDim);
        }
        if (width < 1) {
            throw new IllegalArgumentException("width: must be >= 1, got " + width);
        }
        if (sampleEvery < 0) {
            throw new IllegalArgumentException("sampleEvery: must be >= 0, got " + sampleEvery);
        }
    }

    public GanConfig withEpochs(int e) {
        return new GanConfig(e, batchSize, learningRate, beta1, beta2, latentDim, width, flip, seed, sampleEvery);
    }

    public GanConfig withSeed(long s) {
        return new GanConfig(epochs, batchSize, learningRate, beta1, beta2, latentDim, width, flip, s, sampleEvery);
    }

    public GanConfig withWidth(int w) {
        return new GanConfig(epochs, batchSize, learningRate, beta1, beta2, latentDim, w, flip, seed, sampleEvery);
    }

    public GanConfig withBatchSize(int b) {
        return new GanConfig(epochs, b, learningRate, beta1, beta2, latentDim, width, flip, seed, sampleEvery);
    }

    public GanConfig withSampleEvery(int s) {
        return new GanConfig(epochs, batchSize, learningRate, beta1, beta2, latentDim, width, flip, seed, s);
    }

    /** Everything that determines the trained GAN, for provenance and cache keys (sampleEvery is not). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objective", "non-saturating");
        m.put("optimizer", "adam");
        m.put("learningRate", learningRate);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("batchSize", batchSize);
        m.put("epochs", epochs);
        m.put("latentDim", latentDim);
        m.put("latentDistribution", "normal(0, 1)");
        m.put("width", width);
        m.put("flip", flip);
        m.put("seed", seed);
        return m;
    }
}
