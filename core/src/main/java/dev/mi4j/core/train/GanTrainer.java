package dev.mi4j.core.train;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DcGan;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.GanProvenance;
import dev.mi4j.core.model.GenerativePrior;
import dev.mi4j.core.progress.ProgressBar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the {@link DcGan} prior of GMI with the non-saturating GAN loss (Goodfellow et al. 2014;
 * the loss DCGAN trains with). Per minibatch of {@code batchSize} real images:
 * <ol>
 *   <li><b>Discriminator</b>: one Adam step of {@code D.fit} on the real images (label 1) and as
 *       many G(z) (label 0), z ~ N(0, I), G in training mode: binary cross-entropy, i.e.
 *       -log D(x) - log(1 - D(G(z))).</li>
 *   <li><b>Generator</b>: fresh z; G(z) in training mode (batch norm on batch statistics); the
 *       epsilon d(-log D(G(z)))/d G(z) from the discriminator's inference-mode shadow
 *       ({@link Gan#discriminatorLoss}, the same code the attack's prior term uses); DL4J's own
 *       backprop of that epsilon through G ({@code MultiLayerNetwork.backpropGradient}); one Adam
 *       step through G's own updater, as {@code fit} applies it ({@link Trainer#apply}).</li>
 * </ol>
 * Why not GMI's WGAN-GP: its gradient penalty differentiates D's input gradient, and DL4J has no
 * double backprop. Why not WGAN with weight clipping: it is known to train slowly and the
 * non-saturating loss is what DCGAN, whose architecture this is, was tuned for.
 *
 * <p>Deterministic for a seed on one machine: initialisation, shuffling and every z come from
 * seeded generators (java.util.Random). Progress: a bar with both losses; the mean of each loss
 * per epoch, and D's mean verdict on 64 fixed real and 64 fixed generated images, are logged and
 * recorded in the provenance's history.
 */
public final class GanTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(GanTrainer.class);

    /** Images in the fixed sample grid (8 x 8). */
    public static final int SAMPLES = 64;

    /** Receives the fixed-z sample images [64, c, h, w] (inference mode) after an epoch. */
    @FunctionalInterface
    public interface SampleSink {
        void accept(int epoch, INDArray samples);
    }

    /**
     * What the training images are, for the provenance.
     *
     * @param name    e.g. "public-faces"
     * @param sha256  SHA-256 over the images' sources, in order
     * @param summary which images, in words
     */
    public record DataDescription(String name, String sha256, String summary) {
    }

    private GanTrainer() {
    }

    /** The fixed latent codes of the sample grid for a seed (the same grid across epochs and runs). */
    public static INDArray sampleCodes(GanConfig cfg, DataType type) {
        return gaussian(new Random(cfg.seed() ^ 0x5DEECE66DL), SAMPLES, cfg.latentDim(), type);
    }

    /**
     * Trains a GAN on {@code images} [n, c, h, w] (pixels in [0, 1]; square, power-of-two side).
     *
     * @param sink  sample grids every {@code cfg.sampleEvery()} epochs and after the last one; may be null
     * @param quiet no progress bar
     * @throws IllegalArgumentException for fewer images than one batch, or a shape the DCGAN cannot make
     */
    public static Gan train(INDArray images, GanConfig cfg, DataDescription data, SampleSink sink, boolean quiet) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(data, "data");
        if (images.rank() != 4) {
            throw new IllegalArgumentException("images: expected [n, c, h, w], got rank " + images.rank());
        }
        ImageShape shape = new ImageShape((int) images.size(1), (int) images.size(2), (int) images.size(3));
        DcGan.stages(shape);
        DataType type = DataType.FLOAT;
        INDArray x = images.castTo(type);
        if (cfg.flip()) {
            x = Nd4j.concat(0, x, mirrored(x));
        }
        int n = (int) x.size(0);
        int b = cfg.batchSize();
        if (n < b) {
            throw new IllegalArgumentException("images: " + n + " training images (after flipping) are fewer than one batch of " + b);
        }
        Adam adam = new Adam(cfg.learningRate(), cfg.beta1(), cfg.beta2(), Adam.DEFAULT_ADAM_EPSILON);
        MultiLayerNetwork g = DcGan.generator(shape, cfg.latentDim(), cfg.width(), cfg.seed(), adam, type);
        MultiLayerNetwork d = DcGan.discriminator(shape, cfg.width(), cfg.seed() + 1, adam, type);
        Gan gan = new Gan(g, d, shape, cfg.latentDim(), null);
        LOG.info("GAN: {} parameters in G, {} in D; {} training images ({}), {} steps per epoch",
                g.numParams(), d.numParams(), n, cfg.flip() ? "with mirrored copies" : "no flipping", n / b);

        Random rnd = new Random(cfg.seed());
        INDArray sampleZ = sampleCodes(cfg, type);
        INDArray realProbe = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(SAMPLES, n))).dup();
        INDArray dLabels = Nd4j.concat(0, Nd4j.ones(type, b, 1), Nd4j.zeros(type, b, 1));
        List<Map<String, Object>> history = new ArrayList<>();
        int steps = n / b;
        long start = System.nanoTime();
        try (ProgressBar bar = ProgressBar.start("train gan", (long) cfg.epochs() * steps, quiet)) {
            for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                int[] perm = permutation(n, rnd);
                double dSum = 0;
                double gSum = 0;
                for (int s = 0; s < steps; s++) {
                    int[] idx = java.util.Arrays.copyOfRange(perm, s * b, (s + 1) * b);
                    INDArray real = Nd4j.pullRows(x.reshape(n, shape.size()), 1, idx).reshape(shape.batchShape(b));
                    // Discriminator step: real against generated (G in training mode, as it is trained).
                    INDArray fake = forward(g, gaussian(rnd, b, cfg.latentDim(), type));
                    d.fit(new DataSet(Nd4j.concat(0, real, fake.reshape(shape.batchShape(b))), dLabels));
                    double dLoss = d.score();
                    // Generator step: -log D(G(z)) through D's inference-mode shadow, then G's own backprop.
                    INDArray fake2 = forward(g, gaussian(rnd, b, cfg.latentDim(), type)).reshape(shape.batchShape(b));
                    GenerativePrior.PriorLoss loss = gan.discriminatorLoss(fake2);
                    Pair<Gradient, INDArray> back = g.backpropGradient(loss.gradient(), LayerWorkspaceMgr.noWorkspaces());
                    double gLoss = mean(loss.cost());
                    Trainer.apply(g, new StepGradient(back.getFirst().gradient(), b, gLoss));
                    dSum += dLoss;
                    gSum += gLoss;
                    bar.step(1);
                    bar.status(String.format(Locale.ROOT, "epoch %d/%d  D loss %.3f  G loss %.3f", epoch, cfg.epochs(),
                            dLoss, gLoss));
                }
                g.incrementEpochCount();
                INDArray samples = gan.generate(sampleZ);
                double pReal = mean(gan.realProbability(realProbe));
                double pFake = mean(gan.realProbability(samples));
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("epoch", epoch);
                h.put("dLoss", dSum / steps);
                h.put("gLoss", gSum / steps);
                h.put("dReal", pReal);
                h.put("dFake", pFake);
                h.put("seconds", Math.round(seconds * 10) / 10.0);
                history.add(h);
                LOG.info(String.format(Locale.ROOT, "GAN epoch %d/%d: D loss %.4f, G loss %.4f, D(real) %.3f, D(fake) %.3f, %.1f s",
                        epoch, cfg.epochs(), dSum / steps, gSum / steps, pReal, pFake, seconds));
                if (!Double.isFinite(dSum) || !Double.isFinite(gSum)) {
                    throw new IllegalStateException("GAN training diverged at epoch " + epoch + " (a loss is not finite)");
                }
                if (sink != null && (epoch == cfg.epochs() || (cfg.sampleEvery() > 0 && epoch % cfg.sampleEvery() == 0))) {
                    sink.accept(epoch, samples);
                }
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        GanProvenance p = GanProvenance.create(data.name(), data.sha256(), data.summary(), (int) images.size(0),
                DcGan.describe(shape, cfg.latentDim(), cfg.width()), "non-saturating", cfg.asMap(), shape, cfg.latentDim(),
                cfg.epochs(), history, millis);
        LOG.info("GAN: trained {} epochs in {} s", cfg.epochs(), String.format(Locale.ROOT, "%.1f", millis / 1000.0));
        return gan.withProvenance(p);
    }

    /** G(z) in training mode, keeping every layer's input for the backward pass. */
    private static INDArray forward(MultiLayerNetwork g, INDArray z) {
        g.setInput(z);
        List<INDArray> acts = g.feedForward(true, false);
        return acts.get(acts.size() - 1);
    }

    private static INDArray gaussian(Random rnd, int rows, int cols, DataType type) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape(rows, cols).castTo(type);
    }

    private static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The images mirrored left-right. */
    static INDArray mirrored(INDArray x) {
        long[] s = x.shape();
        int w = (int) s[3];
        float[] v = x.dup('c').data().asFloat();
        float[] out = new float[v.length];
        for (int row = 0; row < v.length / w; row++) {
            int o = row * w;
            for (int c = 0; c < w; c++) {
                out[o + c] = v[o + w - 1 - c];
            }
        }
        return Nd4j.createFromArray(out).reshape(s).castTo(x.dataType());
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }
}
