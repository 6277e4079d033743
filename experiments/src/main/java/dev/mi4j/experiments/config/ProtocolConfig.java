package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.datasets.PublicPrivateProtocol;
import java.util.List;

/**
 * The {@code protocol:} section of a config: GMI's public/private protocol
 * ({@link PublicPrivateProtocol}). When present, the experiment's targets and evaluation model
 * are trained on the private identities of {@code private} only, cropped and resized like the
 * public faces, and the attacker's GAN ({@code gan:}) on the public faces only.
 *
 * @param privateDataset the dataset whose identities are split (default att-faces)
 * @param seed           seeds the identity split (default 42)
 * @param publicDatasets datasets whose every image is public (default lfw-min70, yale)
 * @param size           side of the common square greyscale frame (default 32)
 */
public record ProtocolConfig(@JsonProperty("private") String privateDataset, @JsonProperty("seed") Long seed,
                             @JsonProperty("public") List<String> publicDatasets, @JsonProperty("size") Integer size) {

    public ProtocolConfig {
        // Checked when the config is read (from the parameters: the fields are not set yet).
        of(privateDataset, seed, publicDatasets, size);
    }

    /** The protocol's spec, defaults filled in. */
    public PublicPrivateProtocol.Spec spec() {
        return of(privateDataset, seed, publicDatasets, size);
    }

    private static PublicPrivateProtocol.Spec of(String privateDataset, Long seed, List<String> publicDatasets, Integer size) {
        PublicPrivateProtocol.Spec d = PublicPrivateProtocol.Spec.DEFAULT;
        return new PublicPrivateProtocol.Spec(privateDataset == null ? d.privateDataset() : privateDataset,
                seed == null ? d.seed() : seed, publicDatasets == null ? d.publicDatasets() : publicDatasets,
                size == null ? d.size() : size);
    }
}
