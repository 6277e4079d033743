package dev.mi4j.core.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measurement utility, not a test: seconds per GAN training step (one discriminator and one
 * generator step, batch 64) on random images, for choosing the DCGAN's size on a small CPU.
 * Arguments: side width [steps]. Run like {@link AttTrainingTiming}.
 */
public final class GanTrainingTiming {

    public static void main(String[] args) {
        int side = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int width = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 64L * steps, 1, side, side);
        GanConfig cfg = GanConfig.DEFAULTS.withEpochs(1).withWidth(width).withSampleEvery(0);
        cfg = new GanConfig(1, 64, cfg.learningRate(), cfg.beta1(), cfg.beta2(), cfg.latentDim(), width, false, 1L, 0);
        // A warm-up epoch of one step, then the timed epoch.
        GanTrainer.train(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64)), cfg,
                new GanTrainer.DataDescription("random", "-", "-"), null, true);
        long t0 = System.nanoTime();
        GanTrainer.train(x, cfg, new GanTrainer.DataDescription("random", "-", "-"), null, true);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("side %d width %d: %.2f s per step (%d steps, %.1f s)%n", side, width, s / steps, steps, s);
    }
}
