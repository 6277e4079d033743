package dev.mi4j.core.train;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.Autoencoder;
import dev.mi4j.core.progress.ProgressBar;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the paper's third target, {@link Architecture#DAE}, in two phases.
 *
 * <ol>
 *   <li><b>Pretraining</b>: the {@link Autoencoder} pixels -> 1000 -> 300 -> 1000 -> pixels learns to
 *       reconstruct the clean training faces from corrupted copies ({@link DaeConfig}), <em>end to
 *       end</em>: all four layers at once, rather than greedily layer by layer. Greedy stacking was
 *       the 2008-era remedy for sigmoid stacks trained with plain SGD; with Adam, mean-centred
 *       inputs and the decoder's bias starting at the mean face, the four-layer network trains
 *       directly (full-size AT&amp;T: reconstruction MSE 0.0013 against the mean face's 0.021 in 100
 *       epochs), and end-to-end training optimises exactly the round trip decode(encode(x)) that
 *       the Process-DAE step uses (a greedy stack would need this fine-tuning anyway to make its
 *       composed decoder good). Without the centring the full-size network stayed on the
 *       mean-face plateau for 100 epochs.</li>
 *   <li><b>Fine-tuning</b>: a {@link Architecture#DAE} classifier (pixels -> 1000 -> 300 -> softmax)
 *       gets the encoder's weights, then the whole classifier trains on the labels with
 *       {@link Trainer}'s usual loop (Adam, early stopping on a validation split). The saved
 *       autoencoder keeps its own, un-fine-tuned encoder, so that its encoder and decoder stay a
 *       matched pair.</li>
 * </ol>
 */
public final class DaeTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DaeTrainer.class);

    private DaeTrainer() {
    }

    /** Pretrains the autoencoder, then fine-tunes the classifier; the result carries both. */
    public static TrainingResult train(LabeledImages train, DaeConfig pretrainConfig, TrainingConfig fineTuneConfig,
                                       boolean quiet) {
        if (train == null || pretrainConfig == null || fineTuneConfig == null) {
            throw new IllegalArgumentException("train, pretrainConfig and fineTuneConfig must not be null");
        }
        DaePretraining pre = pretrain(train, pretrainConfig, quiet);
        TrainingResult fine = Trainer.train(Architecture.DAE, train, fineTuneConfig, quiet,
                net -> pre.autoencoder().copyEncoderInto(net));
        return new TrainingResult(fine.net(), fine.epochsRun(), fine.bestEpoch(), fine.trainAccuracy(),
                fine.validationAccuracy(), pre.millis() + fine.millis(), pre);
    }

    /** Pretrains a denoising autoencoder on the images of {@code train} (labels are not used). */
    public static DaePretraining pretrain(LabeledImages train, DaeConfig cfg, boolean quiet) {
        if (train == null || cfg == null) {
            throw new IllegalArgumentException("train and cfg must not be null");
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("train: no images in " + train.name());
        }
        long start = System.currentTimeMillis();
        INDArray images = train.images().dataType() == DataType.FLOAT ? train.images()
                : train.images().castTo(DataType.FLOAT);
        int n = train.size();
        int pixels = train.shape().size();
        INDArray clean = images.reshape('c', n, pixels).dup();
        float[] cleanData = clean.data().asFloat();
        Autoencoder ae = Autoencoder.create(train.shape(), cfg.seed(), new FusedAdam(cfg.learningRate()), DataType.FLOAT);
        MultiLayerNetwork net = ae.network();
        // Conditioning (see DaeConfig#defaults): the network trains on mean-centred inputs and its
        // output bias starts at the mean face, so the first steps need not discover the mean and
        // the hidden units see signed, decorrelated inputs. The centring is folded into the first
        // layer's bias afterwards, so the saved autoencoder takes raw pixels like every model.
        INDArray meanFace = clean.mean(true, 0);
        startOutputAt(net, meanFace);
        Random rnd = new Random(cfg.seed() * 31 + 11);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        try (ProgressBar bar = ProgressBar.start("pretrain dae", cfg.epochs(), quiet)) {
            for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                Trainer.shuffleInPlace(order, rnd);
                double lossSum = 0;
                int batches = 0;
                for (int from = 0; from < n; from += cfg.batchSize()) {
                    int[] b = Arrays.copyOfRange(order, from, Math.min(n, from + cfg.batchSize()));
                    INDArray target = clean.getRows(b);
                    INDArray input = corrupt(cleanData, b, pixels, cfg, rnd).subiRowVector(meanFace)
                            .reshape('c', b.length, train.shape().channels(), train.shape().height(),
                                    train.shape().width());
                    net.fit(new DataSet(input, target));
                    lossSum += net.score();
                    batches++;
                }
                bar.status(String.format(Locale.ROOT, "loss %.4f", lossSum / batches));
                bar.set(epoch);
            }
        }
        foldInputShift(net, meanFace);
        double mse = reconstructionMse(ae, images);
        long millis = System.currentTimeMillis() - start;
        LOG.info("pretrained dae autoencoder on {} ({} images): {} epochs, {} corruption {}, reconstruction mse {}, {} ms",
                train.name(), n, cfg.epochs(), cfg.corruption().id(), cfg.corruptionLevel(),
                String.format(Locale.ROOT, "%.5f", mse), millis);
        return new DaePretraining(ae, cfg, cfg.epochs(), mse, millis);
    }

    /** Mean squared error of reconstruct(x) against x, in batches. */
    public static double reconstructionMse(Autoencoder ae, INDArray images) {
        long n = images.size(0);
        double sum = 0;
        for (long from = 0; from < n; from += 64) {
            long to = Math.min(n, from + 64);
            INDArray x = images.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            INDArray r = ae.reconstruct(x);
            sum += r.castTo(DataType.DOUBLE).squaredDistance(x.castTo(DataType.DOUBLE));
        }
        return sum / (n * (double) (images.length() / n));
    }

    /** Sets the output layer's bias to logit(mean face), so that the untrained decoder draws the mean face. */
    private static void startOutputAt(MultiLayerNetwork net, INDArray meanFace) {
        INDArray p = Transforms.min(Transforms.max(meanFace, 1e-3, true), 1 - 1e-3, false);
        INDArray logit = Transforms.log(p.div(p.rsub(1.0)), false);
        INDArray b = net.getLayer(net.getnLayers() - 1).getParam("b");
        b.assign(logit.reshape(b.shape()));
    }

    /**
     * A first layer trained on x - shift computes sigmoid((x - shift) W + b) = sigmoid(x W + (b - shift W)):
     * the same function of raw x with bias b - shift W.
     */
    static void foldInputShift(MultiLayerNetwork net, INDArray shift) {
        INDArray w = net.getLayer(0).getParam("W");
        INDArray b = net.getLayer(0).getParam("b");
        b.subi(shift.mmul(w).reshape(b.shape()));
    }

    /** A corrupted copy of the rows {@code rows} of the flattened clean images, as [b, pixels]. */
    static INDArray corrupt(float[] clean, int[] rows, int pixels, DaeConfig cfg, Random rnd) {
        float[] out = new float[rows.length * pixels];
        float level = (float) cfg.corruptionLevel();
        for (int r = 0; r < rows.length; r++) {
            int src = rows[r] * pixels;
            int dst = r * pixels;
            for (int p = 0; p < pixels; p++) {
                float v = clean[src + p];
                if (cfg.corruption() == DaeConfig.Corruption.MASKING) {
                    out[dst + p] = rnd.nextFloat() < level ? 0f : v;
                } else {
                    out[dst + p] = Math.min(1f, Math.max(0f, v + level * (float) rnd.nextGaussian()));
                }
            }
        }
        return Nd4j.create(out, new long[] {rows.length, pixels}, 'c');
    }
}
