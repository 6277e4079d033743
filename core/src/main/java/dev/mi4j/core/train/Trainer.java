package dev.mi4j.core.train;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.progress.ProgressBar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a target model from the zoo: the configured optimizer, seeded minibatch shuffling, early stopping on a
 * stratified validation split taken from the training set, keeping the parameters of the best
 * validation epoch (highest accuracy; lower validation loss breaks ties). Deterministic on CPU
 * for a given seed.
 *
 * <p>A trainer may carry a {@link GradientHook} (a training-time defense): then each minibatch's
 * gradient comes from the hook and is applied through the network's own updater, and the hook
 * chooses how minibatches are drawn. Without one, every step is {@code net.fit} on fixed-size
 * shuffled minibatches, the computation this class always ran: models trained without a hook are
 * bit-identical to those of earlier versions, which their cache keys rely on.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int EVAL_BATCH = 64;

    private final Supplier<? extends GradientHook> hooks;

    /** A trainer without a hook: plain {@code net.fit} steps. */
    public Trainer() {
        this.hooks = null;
    }

    /**
     * A trainer whose runs each take a fresh hook from {@code hooks} (a hook is stateful: it may
     * count steps or spend a privacy budget), e.g. {@code new Trainer(defense::newHook)}.
     */
    public Trainer(Supplier<? extends GradientHook> hooks) {
        if (hooks == null) {
            throw new IllegalArgumentException("hooks: must not be null (use new Trainer() for plain training)");
        }
        this.hooks = hooks;
    }

    /**
     * Trains {@code arch} on {@code train} without a hook; see {@link #run(Architecture, LabeledImages,
     * TrainingConfig, boolean)}.
     */
    public static TrainingResult train(Architecture arch, LabeledImages train, TrainingConfig cfg, boolean quiet) {
        return new Trainer().run(arch, train, cfg, quiet);
    }

    /**
     * Trains {@code arch} on {@code train} without a hook; see {@link #run(Architecture, LabeledImages,
     * TrainingConfig, DaeConfig, boolean)}.
     */
    public static TrainingResult train(Architecture arch, LabeledImages train, TrainingConfig cfg, DaeConfig pretraining,
                                       boolean quiet) {
        return new Trainer().run(arch, train, cfg, pretraining, quiet);
    }

    /**
     * Trains {@code arch} on {@code train}. {@link Architecture#DAE} is first pretrained as a denoising
     * autoencoder with {@link DaeConfig#defaults()} (seeded with {@code cfg.seed()}), then fine-tuned
     * with {@code cfg}; its result carries the autoencoder ({@link TrainingResult#pretraining()}).
     */
    public TrainingResult run(Architecture arch, LabeledImages train, TrainingConfig cfg, boolean quiet) {
        return run(arch, train, cfg, cfg == null ? null : pretrainingConfig(arch, cfg), quiet);
    }

    /**
     * Trains {@code arch} on {@code train}, with {@code pretraining} for architectures that are
     * pretrained ({@link Architecture#DAE}; it must then not be null) and ignored for the others.
     * With a hook, the result's {@link TrainingResult#defense()} is the hook's report.
     *
     * @throws IllegalArgumentException for a {@link Architecture#DAE} target with a hook: its
     *         autoencoder pretraining on the same images would escape the defense
     */
    public TrainingResult run(Architecture arch, LabeledImages train, TrainingConfig cfg, DaeConfig pretraining,
                              boolean quiet) {
        if (arch == Architecture.DAE && train != null && cfg != null) {
            if (hooks != null) {
                throw new IllegalArgumentException("hook: training defenses are not supported for dae targets (the"
                        + " autoencoder's pretraining on the same images would be unprotected)");
            }
            if (pretraining == null) {
                throw new IllegalArgumentException("pretraining: a dae target needs its autoencoder's pretraining config");
            }
            return DaeTrainer.train(train, pretraining, cfg, quiet);
        }
        return loop(arch, train, cfg, quiet, null, hooks == null ? null : hooks.get());
    }

    /**
     * The pretraining that {@link #train(Architecture, LabeledImages, TrainingConfig, boolean)} runs
     * before {@code cfg}'s training: {@link DaeConfig#defaults()} seeded with {@code cfg.seed()} for
     * {@link Architecture#DAE}, null for architectures without pretraining.
     */
    public static DaeConfig pretrainingConfig(Architecture arch, TrainingConfig cfg) {
        return arch == Architecture.DAE ? DaeConfig.defaults().withSeed(cfg.seed()) : null;
    }

    /** Every hyperparameter that determines the trained model: {@code cfg}'s and its pretraining's (may be null). */
    public static Map<String, Object> hyperparameters(TrainingConfig cfg, DaeConfig pre) {
        return hyperparameters(cfg, pre, null);
    }

    /**
     * Every hyperparameter that determines the trained model, a training defense's included: its
     * declared parameters (name and values, e.g. {@code {name=ls, factor=-0.05}}) under "defense";
     * null or empty for an undefended model, whose map (and so its cache key) is then exactly
     * {@link #hyperparameters(TrainingConfig, DaeConfig)}'s.
     */
    public static Map<String, Object> hyperparameters(TrainingConfig cfg, DaeConfig pre, Map<String, Object> defense) {
        Map<String, Object> hp = new LinkedHashMap<>(cfg.asMap());
        if (pre != null) {
            hp.put("pretraining", pre.asMap());
        }
        if (defense != null && !defense.isEmpty()) {
            hp.put("defense", new LinkedHashMap<>(defense));
        }
        return hp;
    }

    /** The training loop without a hook; {@code initialiser}, if not null, edits the fresh network before the first step. */
    static TrainingResult train(Architecture arch, LabeledImages train, TrainingConfig cfg, boolean quiet,
                                Consumer<MultiLayerNetwork> initialiser) {
        return loop(arch, train, cfg, quiet, initialiser, null);
    }

    /**
     * The training loop. {@code initialiser}, if not null, edits the fresh network before the first
     * step; {@code hook}, if not null, gives every step's gradient and the minibatch sampler.
     */
    private static TrainingResult loop(Architecture arch, LabeledImages train, TrainingConfig cfg, boolean quiet,
                                       Consumer<MultiLayerNetwork> initialiser, GradientHook hook) {
        if (arch == null || train == null || cfg == null) {
            throw new IllegalArgumentException("arch, train and cfg must not be null");
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("train: no images in " + train.name());
        }
        long start = System.currentTimeMillis();
        int[][] parts = stratifiedSplit(train.labels(), train.numClasses(), cfg.validationFraction(), cfg.seed());
        int[] fitIdx = parts[0];
        int[] valIdx = parts[1];
        INDArray images = train.images().dataType() == DataType.FLOAT ? train.images()
                : train.images().castTo(DataType.FLOAT);
        INDArray onehot = train.oneHotLabels().castTo(DataType.FLOAT);
        INDArray xFit = rows(images, fitIdx);
        INDArray yFit = onehot.getRows(fitIdx);
        int[] labelsFit = select(train.labels(), fitIdx);
        INDArray xVal = valIdx.length == 0 ? null : rows(images, valIdx);
        int[] labelsVal = select(train.labels(), valIdx);

        MultiLayerNetwork net = arch.build(train.shape(), train.numClasses(), cfg.seed(),
                cfg.optimizer().updater(cfg.learningRate()), cfg.l2(), DataType.FLOAT);
        if (initialiser != null) {
            initialiser.accept(net);
        }
        // Dropout draws from ND4J's (thread-local) generator: seed it so runs repeat exactly.
        Nd4j.getRandom().setSeed(cfg.seed());
        if (hook != null && net.getFlattenedGradients() == null) {
            net.initGradientsView(); // what the first backward pass would do; a hook may need it before
        }
        int n = fitIdx.length;
        BatchSampler sampler = hook == null ? ShuffledBatches.forConfig(n, cfg) : hook.sampler(n, cfg);
        if (sampler == null) {
            throw new IllegalStateException("hook " + hook.getClass().getName() + " returned no batch sampler");
        }
        INDArray bestParams = null;
        double bestAcc = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        int steps = 0;
        try (ProgressBar bar = ProgressBar.start("train " + arch.id(), cfg.epochs(), quiet)) {
            while (epoch < cfg.epochs()) {
                epoch++;
                double lossSum = 0;
                int batches = 0;
                for (int[] b : sampler.nextEpoch()) {
                    if (hook == null) {
                        net.fit(new DataSet(rows(xFit, b), yFit.getRows(b)));
                        lossSum += net.score();
                    } else {
                        MinibatchStep step = b.length == 0 ? new MinibatchStep(net, null, null, b, steps, epoch)
                                : new MinibatchStep(net, rows(xFit, b), yFit.getRows(b), b, steps, epoch);
                        StepGradient g = hook.step(step);
                        if (g == null) {
                            throw new IllegalStateException("hook " + hook.getClass().getName()
                                    + " returned no gradient at step " + steps);
                        }
                        apply(net, g);
                        lossSum += g.score();
                    }
                    steps++;
                    batches++;
                }
                double loss = lossSum / batches;
                if (xVal == null) {
                    bestEpoch = epoch;
                    bar.status(String.format(Locale.ROOT, "loss %.4f", loss));
                } else {
                    double[] accLoss = accuracyAndLoss(net, xVal, labelsVal);
                    if (accLoss[0] > bestAcc || (accLoss[0] == bestAcc && accLoss[1] < bestLoss)) {
                        bestAcc = accLoss[0];
                        bestLoss = accLoss[1];
                        bestEpoch = epoch;
                        bestParams = net.params().dup();
                    }
                    bar.status(String.format(Locale.ROOT, "loss %.4f val acc %.3f", loss, accLoss[0]));
                }
                bar.set(epoch);
                if (xVal != null && epoch - bestEpoch >= cfg.patience()) {
                    break;
                }
            }
        }
        if (bestParams != null) {
            net.setParams(bestParams);
        }
        double trainAcc = accuracyAndLoss(net, xFit, labelsFit)[0];
        double valAcc = xVal == null ? Double.NaN : accuracyAndLoss(net, xVal, labelsVal)[0];
        long millis = System.currentTimeMillis() - start;
        Map<String, Object> defense = hook == null ? null : hook.report();
        LOG.info("trained {} on {} ({} images, {} held out): {} epochs, best {}, train acc {}, val acc {}, {} ms{}",
                arch.id(), train.name(), n, valIdx.length, epoch, bestEpoch,
                String.format(Locale.ROOT, "%.4f", trainAcc), String.format(Locale.ROOT, "%.4f", valAcc), millis,
                defense == null ? "" : ", defense " + defense);
        return new TrainingResult(net, epoch, bestEpoch, trainAcc, valAcc, millis, null, defense);
    }

    /**
     * Applies a hook's gradient the way {@code net.fit} applies its own (DL4J 1.0.0-M2.1,
     * {@code StochasticGradientDescent.optimize} and {@code BaseOptimizer.gradientAndScore}): the
     * gradient goes into the network's flattened gradient view; the network's updater (the same
     * instance, and so the same Adam/momentum state, that {@code fit} uses) divides it by the
     * divisor, adds the L2 penalty and turns it into the update in place, at the network's
     * iteration and epoch counts; the parameters subtract it (the SGD optimizer's default
     * {@code NegativeGradientStepFunction}); the iteration count advances and constraints apply.
     */
    static void apply(MultiLayerNetwork net, StepGradient step) {
        INDArray view = net.getFlattenedGradients();
        if (step.gradient() != view) {
            if (step.gradient().length() != view.length()) {
                throw new IllegalArgumentException("gradient: expected " + view.length() + " values (one per parameter), got "
                        + step.gradient().length());
            }
            view.assign(step.gradient().reshape(view.shape()));
        }
        Gradient gradient = gradientOf(net, view);
        net.getUpdater().update(net, gradient, net.getIterationCount(), net.getEpochCount(), step.divisor(),
                LayerWorkspaceMgr.noWorkspaces());
        INDArray params = net.params();
        params.subi(view.reshape(view.length()));
        net.setParams(params);
        BaseOptimizer.incrementIterationCount(net, 1);
        BaseOptimizer.applyConstraints(net);
        net.clearLayerMaskArrays();
        net.clearLayersStates();
    }

    /**
     * The network's gradient object over {@code view}: the one its last backward pass left, or, when
     * the hook did not run one (an empty Poisson minibatch), one built over the same per-variable
     * views ("0_W", "0_b", ...) that a backward pass would name.
     */
    private static Gradient gradientOf(MultiLayerNetwork net, INDArray view) {
        Gradient last = net.gradient();
        if (last != null && last.gradient() == view) {
            return last;
        }
        Gradient g = new DefaultGradient(view);
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            if (layer.numParams() == 0) {
                continue;
            }
            Map<String, INDArray> views = layer.conf().getLayer().initializer()
                    .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
            for (Map.Entry<String, INDArray> e : views.entrySet()) {
                g.setGradientFor(i + "_" + e.getKey(), e.getValue());
            }
        }
        return g;
    }

    /**
     * Per class, a seeded shuffle of its indices; the first round(fraction * count) go to
     * validation (at least one when fraction > 0, never all). Returns {fit, validation}, sorted.
     */
    static int[][] stratifiedSplit(int[] labels, int numClasses, double fraction, long seed) {
        Random rnd = new Random(seed);
        List<Integer> fit = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    idx.add(i);
                }
            }
            java.util.Collections.shuffle(idx, rnd);
            int k = 0;
            if (fraction > 0 && idx.size() >= 2) {
                k = Math.min(idx.size() - 1, Math.max(1, (int) Math.round(fraction * idx.size())));
            }
            val.addAll(idx.subList(0, k));
            fit.addAll(idx.subList(k, idx.size()));
        }
        return new int[][] {fit.stream().mapToInt(Integer::intValue).sorted().toArray(),
                val.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    /** {accuracy, mean -log p_label} in inference mode. */
    private static double[] accuracyAndLoss(MultiLayerNetwork net, INDArray x, int[] labels) {
        int correct = 0;
        double loss = 0;
        for (int from = 0; from < labels.length; from += EVAL_BATCH) {
            int to = Math.min(labels.length, from + EVAL_BATCH);
            INDArray p = net.output(x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()), false);
            INDArray argmax = p.argMax(1);
            for (int i = from; i < to; i++) {
                if (argmax.getInt(i - from) == labels[i]) {
                    correct++;
                }
                loss -= Math.log(Math.max(p.getDouble(i - from, labels[i]), 1e-30));
            }
        }
        return new double[] {(double) correct / labels.length, loss / labels.length};
    }

    private static INDArray rows(INDArray images, int[] idx) {
        long[] li = Arrays.stream(idx).asLongStream().toArray();
        INDArray sel = images.get(NDArrayIndex.indices(li), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
        return sel.reshape(idx.length, images.size(1), images.size(2), images.size(3)).dup();
    }

    private static int[] select(int[] a, int[] idx) {
        int[] r = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            r[i] = a[idx[i]];
        }
        return r;
    }

    /** Fisher-Yates shuffle of {@code a} with {@code rnd} (the training loops' seeded epoch order). */
    static void shuffleInPlace(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
