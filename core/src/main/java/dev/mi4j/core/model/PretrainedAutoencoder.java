package dev.mi4j.core.model;

import java.util.Objects;

/**
 * The autoencoder of a {@link Architecture#DAE} target together with where it came from: what
 * the Process-DAE step of an attack needs, and what {@link AutoencoderStore} saves beside the
 * classifier's model file.
 */
public record PretrainedAutoencoder(Autoencoder autoencoder, AutoencoderProvenance provenance) {

    public PretrainedAutoencoder {
        Objects.requireNonNull(autoencoder, "autoencoder");
        Objects.requireNonNull(provenance, "provenance");
    }
}
