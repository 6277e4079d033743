package dev.mi4j.core.model;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.backprop.NetworkVjp;
import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A generative adversarial network trained with the non-saturating loss: a generator G (z to an
 * image, sigmoid pixels) and a discriminator D (an image to the probability that it is real,
 * D(x) = sigmoid(l(x))). As a {@link GenerativePrior}, its prior term is the generator's own loss
 * on an image, -log D(x) = softplus(-l(x)), computed from the logit in double (no overflow for
 * confident verdicts); its gradient is (sigmoid(l) - 1) dl/dx. GMI's WGAN critic term -D(x) is the
 * same idea for a Wasserstein critic.
 *
 * <p>Gradients run on inference-mode shadows of both networks ({@link NetworkVjp}) that share their
 * parameter arrays: a GAN being trained is seen with its current weights; nothing here modifies
 * the networks.
 */
public final class Gan implements GenerativePrior {

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;
    private final ImageShape shape;
    private final int latentDim;
    private final GanProvenance provenance;
    private NetworkVjp gVjp;
    private NetworkVjp dVjp;

    /**
     * @param provenance how it was trained; null for a GAN that is being trained or built in a test
     * @throws IllegalArgumentException when the generator does not map [1, latentDim] to one image of
     *                                  {@code shape} or the discriminator does not give one logit per image
     */
    public Gan(MultiLayerNetwork generator, MultiLayerNetwork discriminator, ImageShape shape, int latentDim,
               GanProvenance provenance) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.discriminator = Objects.requireNonNull(discriminator, "discriminator");
        this.shape = Objects.requireNonNull(shape, "shape");
        if (latentDim < 1) {
            throw new IllegalArgumentException("latentDim: must be >= 1, got " + latentDim);
        }
        this.latentDim = latentDim;
        this.provenance = provenance;
        INDArray x = gVjp().output(Nd4j.zeros(dataType(), 1, latentDim));
        if (!Arrays.equals(x.shape(), shape.batchShape(1))) {
            throw new IllegalArgumentException("generator: maps one latent code to shape " + Arrays.toString(x.shape())
                    + ", expected " + Arrays.toString(shape.batchShape(1)));
        }
        INDArray l = dVjp().output(x.castTo(discriminator.params().dataType()));
        if (l.length() != 1) {
            throw new IllegalArgumentException("discriminator: gives " + l.length() + " outputs for one image, expected 1");
        }
    }

    public MultiLayerNetwork generator() {
        return generator;
    }

    public MultiLayerNetwork discriminator() {
        return discriminator;
    }

    /** How it was trained, or null for a GAN built in code and not yet saved. */
    public GanProvenance provenance() {
        return provenance;
    }

    /** The same networks with this provenance. */
    public Gan withProvenance(GanProvenance p) {
        return new Gan(generator, discriminator, shape, latentDim, p);
    }

    @Override
    public int latentDim() {
        return latentDim;
    }

    @Override
    public ImageShape imageShape() {
        return shape;
    }

    @Override
    public DataType dataType() {
        return generator.params().dataType();
    }

    @Override
    public INDArray generate(INDArray z) {
        return gVjp().output(checkZ(z)).reshape(shape.batchShape((int) z.size(0)));
    }

    @Override
    public INDArray latentGradient(INDArray z, ImageEpsilon epsilon) {
        Objects.requireNonNull(epsilon, "epsilon");
        int n = (int) checkZ(z).size(0);
        long[] images = shape.batchShape(n);
        return gVjp().inputGradient(z, out -> {
            INDArray eps = epsilon.of(out.reshape(images));
            if (eps == null || !Arrays.equals(eps.shape(), images)) {
                throw new IllegalArgumentException("epsilon: expected shape " + Arrays.toString(images) + ", got "
                        + (eps == null ? "null" : Arrays.toString(eps.shape())));
            }
            return eps.reshape(out.shape());
        });
    }

    /** The discriminator's probability that each image [n, c, h, w] is real, [n]. */
    public double[] realProbability(INDArray images) {
        double[] l = logits(images);
        double[] p = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            p[i] = sigmoid(l[i]);
        }
        return p;
    }

    /** The discriminator's logits l(x), [n]. */
    public double[] logits(INDArray images) {
        return dVjp().output(checkImages(images)).castTo(DataType.DOUBLE).reshape(images.size(0)).toDoubleVector();
    }

    @Override
    public PriorLoss discriminatorLoss(INDArray images) {
        int n = (int) checkImages(images).size(0);
        double[] cost = new double[n];
        INDArray grad = dVjp().inputGradient(images, out -> {
            double[] l = out.castTo(DataType.DOUBLE).reshape(n).toDoubleVector();
            double[] dl = new double[n];
            for (int i = 0; i < n; i++) {
                cost[i] = softplus(-l[i]);
                dl[i] = sigmoid(l[i]) - 1.0;
            }
            return Nd4j.createFromArray(dl).reshape(out.shape()).castTo(out.dataType());
        });
        return new PriorLoss(cost, grad.reshape(images.shape()).castTo(images.dataType()));
    }

    @Override
    public String describe() {
        return provenance != null ? provenance.architecture() + ", trained on " + provenance.datasetName()
                : "GAN z" + latentDim + " -> " + shape + " (untrained provenance)";
    }

    /** log(1 + e^x), without overflow. */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    public static double sigmoid(double x) {
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
    }

    private synchronized NetworkVjp gVjp() {
        if (gVjp == null) {
            gVjp = new NetworkVjp(generator, NetworkVjp.Output.AS_IS);
        }
        return gVjp;
    }

    private synchronized NetworkVjp dVjp() {
        if (dVjp == null) {
            dVjp = new NetworkVjp(discriminator, NetworkVjp.Output.PRE_ACTIVATION);
        }
        return dVjp;
    }

    private INDArray checkZ(INDArray z) {
        Objects.requireNonNull(z, "z");
        if (z.rank() != 2 || z.size(1) != latentDim) {
            throw new IllegalArgumentException("z: expected [n, " + latentDim + "], got " + Arrays.toString(z.shape()));
        }
        return z;
    }

    private INDArray checkImages(INDArray images) {
        Objects.requireNonNull(images, "images");
        long[] s = images.shape();
        if (s.length != 4 || s[1] != shape.channels() || s[2] != shape.height() || s[3] != shape.width()) {
            throw new IllegalArgumentException("images: expected [n, " + shape.channels() + ", " + shape.height() + ", "
                    + shape.width() + "], got " + Arrays.toString(s));
        }
        return images;
    }
}
