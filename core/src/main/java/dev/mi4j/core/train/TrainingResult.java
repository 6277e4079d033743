package dev.mi4j.core.train;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained network and how training went.
 *
 * @param net                the network with the parameters of the best validation epoch
 * @param epochsRun          epochs actually run (early stopping may end before the maximum)
 * @param bestEpoch          1-based epoch whose parameters were kept
 * @param trainAccuracy      accuracy of the kept parameters on the images trained on
 * @param validationAccuracy accuracy of the kept parameters on the held-out split; NaN without one
 * @param millis             wall-clock training time (pretraining included)
 * @param pretraining        for {@link dev.mi4j.core.model.Architecture#DAE}: the pretrained autoencoder
 *                           (save it with {@link dev.mi4j.core.model.AutoencoderStore}); null otherwise
 * @param defense            what the training-time defense did ({@link GradientHook#report()}), for the
 *                           model's provenance; null when trained without one
 */
public record TrainingResult(MultiLayerNetwork net, int epochsRun, int bestEpoch, double trainAccuracy,
                             double validationAccuracy, long millis, DaePretraining pretraining,
                             Map<String, Object> defense) {

    public TrainingResult {
        defense = defense == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defense));
    }

    /** A result without a defense. */
    public TrainingResult(MultiLayerNetwork net, int epochsRun, int bestEpoch, double trainAccuracy,
                          double validationAccuracy, long millis, DaePretraining pretraining) {
        this(net, epochsRun, bestEpoch, trainAccuracy, validationAccuracy, millis, pretraining, null);
    }

    /** A result without pretraining or defense. */
    public TrainingResult(MultiLayerNetwork net, int epochsRun, int bestEpoch, double trainAccuracy,
                          double validationAccuracy, long millis) {
        this(net, epochsRun, bestEpoch, trainAccuracy, validationAccuracy, millis, null, null);
    }
}
