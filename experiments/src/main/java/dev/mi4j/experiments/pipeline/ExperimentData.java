package dev.mi4j.experiments.pipeline;

import dev.mi4j.datasets.DatasetResolver;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.datasets.PublicPrivateProtocol;
import dev.mi4j.experiments.config.ExperimentConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The images an experiment works on: the configured dataset, or, under GMI's public/private
 * protocol ({@code protocol:} in a config, {@code --dataset private-faces} on the command line),
 * its private identities with the public faces beside them.
 *
 * @param data  what targets and evaluator train on and what reconstructions are scored against
 * @param faces the protocol's two sets, or null without a protocol
 */
public record ExperimentData(LoadedDataset data, PublicPrivateProtocol.Faces faces) {

    /** A config's data: its protocol's private identities if it has a {@code protocol:} section, else its dataset. */
    public static ExperimentData load(ExperimentConfig cfg, Path dataPath) {
        if (cfg.protocol() != null) {
            return protocol(cfg.protocol().spec(), dataPath);
        }
        return new ExperimentData(cfg.dataset().load(Optional.ofNullable(dataPath)), null);
    }

    /** The protocol's private identities; {@code dataPath} (may be null) is where every dataset it reads lives. */
    public static ExperimentData protocol(PublicPrivateProtocol.Spec spec, Path dataPath) {
        Map<String, Path> paths = new HashMap<>();
        if (dataPath != null) {
            paths.put(spec.privateDataset(), dataPath);
            spec.publicDatasets().forEach(n -> paths.put(n, dataPath));
        }
        PublicPrivateProtocol.Faces faces = PublicPrivateProtocol.build(spec, DatasetResolver.fromEnvironment(), paths);
        return new ExperimentData(faces.privateDataset(), faces);
    }

    /**
     * The attacker's prior image (MI-Face's mean init): under the protocol the attacker knows public
     * faces only, so it is the mean public face, never the mean private training image; without a
     * protocol, the mean training image (the paper's setting).
     */
    public INDArray attackerPrior(ExperimentContext ctx) {
        return faces != null ? faces.publicSet().images().mean(0) : ctx.meanTrainingImage();
    }

    /** A description of the protocol for summaries, or null without one. */
    public String protocolDescription() {
        return faces == null ? null : faces.description();
    }
}
