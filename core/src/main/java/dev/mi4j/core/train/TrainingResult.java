package dev.mi4j.core.train;

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
 */
public record TrainingResult(MultiLayerNetwork net, int epochsRun, int bestEpoch, double trainAccuracy,
                             double validationAccuracy, long millis, DaePretraining pretraining) {

    /** A result without pretraining. */
    public TrainingResult(MultiLayerNetwork net, int epochsRun, int bestEpoch, double trainAccuracy,
                          double validationAccuracy, long millis) {
        this(net, epochsRun, bestEpoch, trainAccuracy, validationAccuracy, millis, null);
    }
}
