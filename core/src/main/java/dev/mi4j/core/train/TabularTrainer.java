package dev.mi4j.core.train;

import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a network on a matrix of encoded records ([n, inputs], one-hot labels [n, classes]): the
 * tabular targets' loop. {@link Trainer} is built around image tensors, a model zoo and early
 * stopping; a tabular model needs none of that, only the same step. So this loop shares
 * {@link Trainer}'s seam rather than copying a defense: with a {@link GradientHook} (DP-SGD,
 * label smoothing, L2 from the defenses module) each step's gradient and the minibatch sampling
 * come from the hook and are applied by {@link Trainer#apply}, exactly as for an image target;
 * without one, each step is {@code net.fit} on {@link ShuffledBatches}.
 *
 * <p>It trains on every record for exactly {@code cfg.epochs()} epochs (no validation split:
 * {@code cfg.validationFraction()} must be 0), seeded by {@code cfg.seed()}: deterministic on CPU.
 */
public final class TabularTrainer {

    /**
     * What a run did.
     *
     * @param epochs    epochs run
     * @param steps     minibatch steps taken
     * @param finalLoss mean minibatch loss of the last epoch
     * @param defense   the hook's report (provenance), null without a hook
     */
    public record Result(int epochs, long steps, double finalLoss, Map<String, Object> defense) {
    }

    private final Supplier<? extends GradientHook> hooks;

    /** Plain {@code net.fit} steps. */
    public TabularTrainer() {
        this.hooks = null;
    }

    /** Each run takes a fresh hook from {@code hooks}, e.g. {@code new TabularTrainer(defense::newHook)}. */
    public TabularTrainer(Supplier<? extends GradientHook> hooks) {
        if (hooks == null) {
            throw new IllegalArgumentException("hooks: must not be null (use new TabularTrainer() for plain training)");
        }
        this.hooks = hooks;
    }

    /**
     * Trains {@code net} in place.
     *
     * @param x      [n, inputs] encoded records, the network's data type
     * @param y      [n, classes] one-hot labels
     * @throws IllegalArgumentException for mismatched shapes or a config with a validation split
     */
    public Result train(MultiLayerNetwork net, INDArray x, INDArray y, TrainingConfig cfg) {
        if (net == null || x == null || y == null || cfg == null) {
            throw new IllegalArgumentException("net, x, y and cfg must not be null");
        }
        if (x.rank() != 2 || y.rank() != 2 || x.size(0) != y.size(0) || x.size(0) < 1) {
            throw new IllegalArgumentException("x and y: expected [n, inputs] and [n, classes] with n >= 1, got "
                    + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(y.shape()));
        }
        if (cfg.validationFraction() != 0) {
            throw new IllegalArgumentException("validationFraction: the tabular trainer trains on every record for"
                    + " exactly epochs epochs; must be 0, got " + cfg.validationFraction());
        }
        GradientHook hook = hooks == null ? null : hooks.get();
        int n = (int) x.size(0);
        Nd4j.getRandom().setSeed(cfg.seed());
        if (hook != null && net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        BatchSampler sampler = hook == null ? ShuffledBatches.forConfig(n, cfg) : hook.sampler(n, cfg);
        if (sampler == null) {
            throw new IllegalStateException("hook " + hook.getClass().getName() + " returned no batch sampler");
        }
        long steps = 0;
        double loss = Double.NaN;
        for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
            double sum = 0;
            int batches = 0;
            for (int[] b : sampler.nextEpoch()) {
                if (hook == null) {
                    net.fit(new DataSet(x.getRows(b), y.getRows(b)));
                    sum += net.score();
                } else {
                    MinibatchStep step = b.length == 0 ? new MinibatchStep(net, null, null, b, (int) steps, epoch)
                            : new MinibatchStep(net, x.getRows(b), y.getRows(b), b, (int) steps, epoch);
                    StepGradient g = hook.step(step);
                    if (g == null) {
                        throw new IllegalStateException("hook " + hook.getClass().getName()
                                + " returned no gradient at step " + steps);
                    }
                    Trainer.apply(net, g);
                    if (!Double.isNaN(g.score())) {
                        sum += g.score();
                    }
                }
                steps++;
                batches++;
            }
            loss = batches == 0 ? Double.NaN : sum / batches;
        }
        return new Result(cfg.epochs(), steps, loss, hook == null ? null : hook.report());
    }
}
