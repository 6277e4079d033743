package dev.mi4j.core.train;

import dev.mi4j.core.model.Autoencoder;
import dev.mi4j.core.model.AutoencoderProvenance;
import java.util.Objects;

/**
 * A pretrained denoising autoencoder and how its pretraining went.
 *
 * @param autoencoder       the trained autoencoder (encoder and decoder)
 * @param config            its pretraining hyperparameters
 * @param epochs            epochs run
 * @param reconstructionMse mean squared error of reconstruct(x) against x on the clean training images
 * @param millis            wall-clock pretraining time
 */
public record DaePretraining(Autoencoder autoencoder, DaeConfig config, int epochs, double reconstructionMse,
                             long millis) {

    public DaePretraining {
        Objects.requireNonNull(autoencoder, "autoencoder");
        Objects.requireNonNull(config, "config");
    }

    /** Provenance without the dataset fields; fill them with {@link AutoencoderProvenance#withDataset}. */
    public AutoencoderProvenance provenance() {
        return AutoencoderProvenance.create(null, null, null, config.asMap(), autoencoder.shape(), reconstructionMse,
                epochs, millis);
    }
}
