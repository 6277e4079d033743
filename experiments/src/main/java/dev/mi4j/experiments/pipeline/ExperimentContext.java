package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.data.Split;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.experiments.config.ExperimentConfig.TargetConfig;
import dev.mi4j.experiments.config.SplitSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared first stages of every experiment: the dataset (resolved and verified), its split,
 * and the independent evaluation model that judges reconstructions.
 *
 * @param evaluator the evaluation model, or null when classifier metrics are switched off
 */
public record ExperimentContext(LoadedDataset data, SplitSpec splitSpec, Split split, TargetModel evaluator,
                                TargetProvider targets) {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentContext.class);

    public static ExperimentContext prepare(LoadedDataset data, SplitSpec splitSpec, TargetConfig evaluatorSpec,
                                            TargetProvider targets) {
        BackendInfo.logOnce();
        Split split = splitSpec.apply(data.images());
        LOG.info("dataset {} from {} ({}), split {}: {} train / {} test", data.images().name(), data.resolved().root(),
                data.resolved().origin(), split.description(), split.train().size(), split.test().size());
        TargetModel eval = evaluatorSpec == null ? null : targets.obtain(evaluatorSpec, data, splitSpec, split);
        return new ExperimentContext(data, splitSpec, split, eval, targets);
    }

    public NetworkClassifier evaluatorClassifier() {
        return evaluator == null ? null : evaluator.classifier();
    }

    /** Mean training image [c,h,w]: the prior of the MEAN init. */
    public INDArray meanTrainingImage() {
        return split.train().images().mean(0);
    }
}
