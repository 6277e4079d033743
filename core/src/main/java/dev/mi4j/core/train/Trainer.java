package dev.mi4j.core.train;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.progress.ProgressBar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int EVAL_BATCH = 64;

    private Trainer() {
    }

    /**
     * Trains {@code arch} on {@code train}. {@link Architecture#DAE} is first pretrained as a denoising
     * autoencoder with {@link DaeConfig#defaults()} (seeded with {@code cfg.seed()}), then fine-tuned
     * with {@code cfg}; its result carries the autoencoder ({@link TrainingResult#pretraining()}).
     */
    public static TrainingResult train(Architecture arch, LabeledImages train, TrainingConfig cfg, boolean quiet) {
        return train(arch, train, cfg, cfg == null ? null : pretrainingConfig(arch, cfg), quiet);
    }

    /**
     * Trains {@code arch} on {@code train}, with {@code pretraining} for architectures that are
     * pretrained ({@link Architecture#DAE}; it must then not be null) and ignored for the others.
     */
    public static TrainingResult train(Architecture arch, LabeledImages train, TrainingConfig cfg, DaeConfig pretraining,
                                       boolean quiet) {
        if (arch == Architecture.DAE && train != null && cfg != null) {
            if (pretraining == null) {
                throw new IllegalArgumentException("pretraining: a dae target needs its autoencoder's pretraining config");
            }
            return DaeTrainer.train(train, pretraining, cfg, quiet);
        }
        return train(arch, train, cfg, quiet, null);
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
    public static java.util.Map<String, Object> hyperparameters(TrainingConfig cfg, DaeConfig pre) {
        java.util.Map<String, Object> hp = new java.util.LinkedHashMap<>(cfg.asMap());
        if (pre != null) {
            hp.put("pretraining", pre.asMap());
        }
        return hp;
    }

    /** The training loop; {@code initialiser}, if not null, edits the fresh network before the first step. */
    static TrainingResult train(Architecture arch, LabeledImages train, TrainingConfig cfg, boolean quiet,
                                Consumer<MultiLayerNetwork> initialiser) {
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
        Random shuffle = new Random(cfg.seed() * 31 + 7);
        int n = fitIdx.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        INDArray bestParams = null;
        double bestAcc = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        try (ProgressBar bar = ProgressBar.start("train " + arch.id(), cfg.epochs(), quiet)) {
            while (epoch < cfg.epochs()) {
                epoch++;
                shuffleInPlace(order, shuffle);
                double lossSum = 0;
                int batches = 0;
                for (int from = 0; from < n; from += cfg.batchSize()) {
                    int[] b = Arrays.copyOfRange(order, from, Math.min(n, from + cfg.batchSize()));
                    net.fit(new DataSet(rows(xFit, b), yFit.getRows(b)));
                    lossSum += net.score();
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
        LOG.info("trained {} on {} ({} images, {} held out): {} epochs, best {}, train acc {}, val acc {}, {} ms",
                arch.id(), train.name(), n, valIdx.length, epoch, bestEpoch,
                String.format(Locale.ROOT, "%.4f", trainAcc), String.format(Locale.ROOT, "%.4f", valAcc), millis);
        return new TrainingResult(net, epoch, bestEpoch, trainAcc, valAcc, millis);
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
