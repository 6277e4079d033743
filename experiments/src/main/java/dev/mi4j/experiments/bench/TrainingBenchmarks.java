package dev.mi4j.experiments.bench;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.train.DaeConfig;
import dev.mi4j.core.train.DaeTrainer;
import dev.mi4j.core.train.FusedAdam;
import dev.mi4j.core.train.GanConfig;
import dev.mi4j.core.train.GanTrainer;
import dev.mi4j.core.train.GradientHook;
import dev.mi4j.core.train.MinibatchStep;
import dev.mi4j.core.train.StepGradient;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.defenses.training.TrainingDefense;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Timings of the training-time workloads: one DP-SGD minibatch gradient (per-example gradients,
 * clipping, noise) against the plain minibatch gradient of the same network on the same images,
 * GAN training throughput, and the DAE's autoencoder pretraining with the Adam update it spends
 * much of its time in. The updater's application of the gradient is the same for both DP-SGD and
 * plain gradients and is left out of those step times.
 */
public final class TrainingBenchmarks {

    private TrainingBenchmarks() {
    }

    /**
     * @param plain the network's own minibatch gradient ({@code computeGradientAndScore}, what {@code fit} applies)
     * @param dp    the DP-SGD hook's gradient (per-example gradients clipped, summed, noised)
     * @param method how DP-SGD got its per-example gradients (batched pass or one per example)
     */
    public record DpResult(InversionBenchmark.StepTimes plain, InversionBenchmark.StepTimes dp, String method) {
    }

    /**
     * Times the plain and the DP-SGD gradient of a freshly initialised {@code arch} network on the
     * first {@code batch} images of {@code data}, alternating, after {@code warmup} untimed calls of each.
     */
    public static DpResult dpStep(Architecture arch, LabeledImages data, int batch, TrainingDefense dp, int warmup, int reps) {
        int b = Math.min(batch, data.size());
        MultiLayerNetwork net = arch.build(data.shape(), data.numClasses(), 1);
        INDArray x = data.images().get(NDArrayIndex.interval(0, b)).dup();
        INDArray y = Nd4j.zeros(DataType.FLOAT, b, data.numClasses());
        int[] idx = new int[b];
        for (int i = 0; i < b; i++) {
            y.putScalar(i, data.labels()[i], 1.0);
            idx[i] = i;
        }
        GradientHook hook = dp.newHook();
        hook.sampler(data.size(), new TrainingConfig(1, b, 1e-3, 0, 0, 1, 1, TrainingConfig.Optimizer.ADAM));
        double[] plain = new double[reps];
        double[] priv = new double[reps];
        for (int i = 0; i < warmup + reps; i++) {
            long t0 = System.nanoTime();
            StepGradient g = new MinibatchStep(net, x, y, idx, i, 1).batchGradient();
            g.gradient().sumNumber();
            long t1 = System.nanoTime();
            StepGradient d = hook.step(new MinibatchStep(net, x, y, idx, i, 1));
            d.gradient().sumNumber();
            long t2 = System.nanoTime();
            if (i >= warmup) {
                plain[i - warmup] = (t1 - t0) / 1e6;
                priv[i - warmup] = (t2 - t1) / 1e6;
            }
        }
        Object method = hook.report().get("perExampleGradients");
        return new DpResult(InversionBenchmark.StepTimes.of(1, warmup + reps, warmup, plain),
                InversionBenchmark.StepTimes.of(1, warmup + reps, warmup, priv), method == null ? "?" : method.toString());
    }

    /**
     * @param epochs          pretraining epochs timed
     * @param iterations      minibatch updates in them
     * @param millis          their wall time
     * @param reconstructionMse the autoencoder's reconstruction error on the training images afterwards
     * @param params          the autoencoder's parameter count
     */
    public record DaeResult(int epochs, int iterations, long millis, double reconstructionMse, long params) {
        public double msPerIteration() {
            return millis / (double) iterations;
        }
    }

    /**
     * The DAE target's autoencoder pretraining ({@link DaeTrainer#pretrain}, the default settings
     * but {@code epochs}) on {@code train}, after one untimed epoch.
     */
    public static DaeResult daePretraining(LabeledImages train, int epochs) {
        DaeTrainer.pretrain(train, DaeConfig.defaults().withEpochs(1), true);
        DaeConfig cfg = DaeConfig.defaults().withEpochs(epochs);
        long t0 = System.nanoTime();
        var p = DaeTrainer.pretrain(train, cfg, true);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int perEpoch = (train.size() + cfg.batchSize() - 1) / cfg.batchSize();
        return new DaeResult(epochs, perEpoch * epochs, ms, p.reconstructionMse(), p.autoencoder().network().numParams());
    }

    /** ND4J's Adam op and {@link FusedAdam} on the same gradients of {@code params} values. */
    public record AdamTimes(long params, InversionBenchmark.StepTimes nd4j, InversionBenchmark.StepTimes fused) {
    }

    /** One Adam update of {@code params} float parameters, ND4J's op against FusedAdam, alternating. */
    public static AdamTimes adamUpdate(long params, int warmup, int reps) {
        GradientUpdater nd4j = new Adam(1e-3).instantiate(Nd4j.zeros(DataType.FLOAT, 2 * params), true);
        GradientUpdater fused = new FusedAdam(1e-3).instantiate(Nd4j.zeros(DataType.FLOAT, 2 * params), true);
        INDArray g = Nd4j.rand(DataType.FLOAT, params);
        INDArray a = g.dup();
        INDArray b = g.dup();
        double[] tn = new double[reps];
        double[] tf = new double[reps];
        for (int i = 0; i < warmup + reps; i++) {
            a.assign(g);
            b.assign(g);
            long t0 = System.nanoTime();
            nd4j.applyUpdater(a, i, 0);
            long t1 = System.nanoTime();
            fused.applyUpdater(b, i, 0);
            long t2 = System.nanoTime();
            if (i >= warmup) {
                tn[i - warmup] = (t1 - t0) / 1e6;
                tf[i - warmup] = (t2 - t1) / 1e6;
            }
        }
        return new AdamTimes(params, InversionBenchmark.StepTimes.of(1, warmup + reps, warmup, tn),
                InversionBenchmark.StepTimes.of(1, warmup + reps, warmup, tf));
    }

    /**
     * @param images      training images per epoch (mirrored copies included)
     * @param epochs      epochs timed
     * @param millis      wall time of the timed epochs
     * @param imagesPerSecond throughput
     */
    public record GanResult(long images, int epochs, long millis, double imagesPerSecond) {
    }

    /** Trains a GAN for {@code epochs} on {@code images} and reports its throughput. */
    public static GanResult ganTraining(INDArray images, GanConfig cfg, int epochs) {
        GanConfig c = cfg.withEpochs(epochs);
        long t0 = System.nanoTime();
        GanTrainer.train(images, c, new GanTrainer.DataDescription("bench", "-", "benchmark"), null, true);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long perEpoch = images.size(0) * (c.flip() ? 2 : 1);
        return new GanResult(perEpoch, epochs, ms, perEpoch * (double) epochs / (ms / 1e3));
    }
}
