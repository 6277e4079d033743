package dev.mi4j.core.train;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Architecture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A FROZEN copy of the static training loop as it was before the trainer took a gradient hook
 * (commit 9ceb06b, {@code Trainer.train(arch, train, cfg, quiet, initialiser)}), progress bar and
 * logging removed, nothing else changed. It is the reference that proves the hook-less path of
 * {@link Trainer} still computes exactly the same parameters: models cached by their
 * hyperparameters and the CCS 2015 reproduction must not move. Do not edit it to follow the trainer.
 */
final class LegacyTrainLoop {

    private static final int EVAL_BATCH = 64;

    private LegacyTrainLoop() {
    }

    /** The old loop; returns the trained network (the best validation epoch's parameters). */
    static MultiLayerNetwork train(Architecture arch, LabeledImages train, TrainingConfig cfg) {
        int[][] parts = stratifiedSplit(train.labels(), train.numClasses(), cfg.validationFraction(), cfg.seed());
        int[] fitIdx = parts[0];
        int[] valIdx = parts[1];
        INDArray images = train.images().dataType() == DataType.FLOAT ? train.images()
                : train.images().castTo(DataType.FLOAT);
        INDArray onehot = train.oneHotLabels().castTo(DataType.FLOAT);
        INDArray xFit = rows(images, fitIdx);
        INDArray yFit = onehot.getRows(fitIdx);
        INDArray xVal = valIdx.length == 0 ? null : rows(images, valIdx);
        int[] labelsVal = select(train.labels(), valIdx);

        MultiLayerNetwork net = arch.build(train.shape(), train.numClasses(), cfg.seed(),
                cfg.optimizer().updater(cfg.learningRate()), cfg.l2(), DataType.FLOAT);
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
        while (epoch < cfg.epochs()) {
            epoch++;
            shuffleInPlace(order, shuffle);
            for (int from = 0; from < n; from += cfg.batchSize()) {
                int[] b = Arrays.copyOfRange(order, from, Math.min(n, from + cfg.batchSize()));
                net.fit(new DataSet(rows(xFit, b), yFit.getRows(b)));
            }
            if (xVal == null) {
                bestEpoch = epoch;
            } else {
                double[] accLoss = accuracyAndLoss(net, xVal, labelsVal);
                if (accLoss[0] > bestAcc || (accLoss[0] == bestAcc && accLoss[1] < bestLoss)) {
                    bestAcc = accLoss[0];
                    bestLoss = accLoss[1];
                    bestEpoch = epoch;
                    bestParams = net.params().dup();
                }
            }
            if (xVal != null && epoch - bestEpoch >= cfg.patience()) {
                break;
            }
        }
        if (bestParams != null) {
            net.setParams(bestParams);
        }
        return net;
    }
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

    /** Fisher-Yates shuffle. */
    static void shuffleInPlace(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
