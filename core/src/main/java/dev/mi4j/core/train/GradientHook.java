package dev.mi4j.core.train;

import java.util.Map;

/**
 * A plug-in on the trainer's minibatch steps: given one minibatch ({@link MinibatchStep}: the
 * network, features, labels, iteration, epoch), it produces the gradient that the network's own
 * updater then applies ({@link StepGradient}). This is the seam of training-time defenses: DP-SGD
 * replaces the minibatch gradient by clipped per-example gradients plus noise, label smoothing
 * computes it against smoothed labels, a weight penalty adds to it. {@code core} knows no defense;
 * the defenses module implements this contract.
 *
 * <p>A hook serves one training run (it may count steps, hold a random stream, spend a privacy
 * budget): {@link Trainer} asks its supplier for a fresh one per run. Without a hook the trainer
 * calls {@code net.fit} exactly as it always did.
 */
@FunctionalInterface
public interface GradientHook {

    /** The gradient to apply for this minibatch. Called once per step, in step order. */
    StepGradient step(MinibatchStep step);

    /**
     * How minibatches are drawn, asked once before the first step; the default is the trainer's
     * own fixed-size shuffled batches ({@link ShuffledBatches#forConfig}). DP-SGD asks for Poisson
     * sampling here, because its privacy accounting assumes it.
     *
     * @param trainingSize number of examples trained on (the validation split excluded)
     * @param cfg          the run's training configuration
     */
    default BatchSampler sampler(int trainingSize, TrainingConfig cfg) {
        return ShuffledBatches.forConfig(trainingSize, cfg);
    }

    /**
     * What the hook did, asked once after the last step; it goes into the trained model's
     * provenance (under "defense"). A defense reports its name and parameters and what it
     * measured, e.g. the privacy spent. JSON-friendly values only (numbers, strings, booleans,
     * lists and maps of them).
     */
    default Map<String, Object> report() {
        return Map.of();
    }
}
