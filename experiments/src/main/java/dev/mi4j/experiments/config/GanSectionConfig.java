package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.train.GanConfig;

/**
 * The {@code gan:} section of a config: how the attacker's GAN prior is trained on the public
 * faces ({@link GanConfig}; absent keys take {@link GanConfig#DEFAULTS}: GMI's Adam 2e-4,
 * betas 0.5/0.999, batch 64, z of 100), or {@code model:} a GAN saved by mi4j.
 */
public record GanSectionConfig(@JsonProperty("epochs") Integer epochs, @JsonProperty("batchSize") Integer batchSize,
                               @JsonProperty("learningRate") Double learningRate, @JsonProperty("beta1") Double beta1,
                               @JsonProperty("beta2") Double beta2, @JsonProperty("latentDim") Integer latentDim,
                               @JsonProperty("width") Integer width, @JsonProperty("flip") Boolean flip,
                               @JsonProperty("seed") Long seed, @JsonProperty("sampleEvery") Integer sampleEvery,
                               @JsonProperty("model") String model) {

    public GanSectionConfig {
        // Every value checked when the config is read (from the parameters: the fields are not set yet).
        of(epochs, batchSize, learningRate, beta1, beta2, latentDim, width, flip, seed, sampleEvery);
    }

    /** The training configuration, defaults filled in. */
    public GanConfig config() {
        return of(epochs, batchSize, learningRate, beta1, beta2, latentDim, width, flip, seed, sampleEvery);
    }

    private static GanConfig of(Integer epochs, Integer batchSize, Double learningRate, Double beta1, Double beta2,
                                Integer latentDim, Integer width, Boolean flip, Long seed, Integer sampleEvery) {
        GanConfig d = GanConfig.DEFAULTS;
        try {
            return new GanConfig(epochs == null ? d.epochs() : epochs, batchSize == null ? d.batchSize() : batchSize,
                    learningRate == null ? d.learningRate() : learningRate, beta1 == null ? d.beta1() : beta1,
                    beta2 == null ? d.beta2() : beta2, latentDim == null ? d.latentDim() : latentDim,
                    width == null ? d.width() : width, flip == null ? d.flip() : flip, seed == null ? d.seed() : seed,
                    sampleEvery == null ? d.sampleEvery() : sampleEvery);
        } catch (IllegalArgumentException e) {
            throw new Mi4jException("gan." + e.getMessage(), e);
        }
    }

    /** All defaults. */
    public static GanSectionConfig defaults() {
        return new GanSectionConfig(null, null, null, null, null, null, null, null, null, null, null);
    }
}
