package dev.mi4j.attacks.miface.process;

import dev.mi4j.attacks.miface.process.ProcessStep;
import dev.mi4j.core.model.Autoencoder;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's Process-DAE ({@code dae:h=10,template=7,search=21,amount=1,sigma=1}): each iterate
 * is replaced by decode(encode(x)), then denoised ({@link NlMeansDenoise}) and sharpened
 * ({@link UnsharpMask}). {@code h = 0} skips the denoising, {@code amount = 0} the sharpening.
 *
 * <p><b>Relation to the paper.</b> Fredrikson et al. run MI-Face against the DAE target <em>in
 * the code space</em>: the attack variable is a code z, the cost is that of the softmax layer
 * on z, and Process-DAE maps z to encode(sharpen(denoise(decode(z)))); the image reported is the
 * decoded final code. mi4j keeps the attack in <em>pixel space</em>, against the whole
 * classifier (pixels -> encoder -> softmax), and projects each iterate with
 * P = sharpen . denoise . decode . encode. Both methods keep every iterate in the image of
 * sharpen . denoise . decode (pictures the decoder can draw, cleaned), and both end on such an
 * image. They differ in the gradient step: with E the encoder (which the classifier's first two
 * layers approximate after fine-tuning, exactly before it), a pixel step x - lambda dc/dx encodes
 * to about z - lambda J J^T dc/dz (J the encoder's Jacobian), i.e. the code-space step
 * preconditioned by J J^T, and with a pixel-space step size. The pixel-space form needs no
 * special-case attack, works with the classifier as saved, and reduces exactly to MI-Face with
 * the identity process when the step is removed.
 */
public final class DaeProjection implements ProcessStep {

    public static final String NAME = "dae";

    private final UnaryOperator<INDArray> encoder;
    private final UnaryOperator<INDArray> decoder;
    private final double h;
    private final int template;
    private final int search;
    private final double amount;
    private final double sigma;
    private final NlMeansDenoise denoise;
    private final UnsharpMask sharpen;

    /**
     * @param encoder  [n, c, h, w] images -> [n, code] codes
     * @param decoder  [n, code] codes -> images of n * c * h * w values (reshaped to the batch's shape)
     * @param h        NL-means filter strength, >= 0 (0: no denoising); see {@link NlMeansDenoise}
     * @param template NL-means patch side (odd, >= 1)
     * @param search   NL-means search window side (odd, >= template)
     * @param amount   unsharp-mask amount, >= 0 (0: no sharpening); see {@link UnsharpMask}
     * @param sigma    unsharp-mask blur sigma, in (0, 50]
     */
    public DaeProjection(UnaryOperator<INDArray> encoder, UnaryOperator<INDArray> decoder, double h, int template,
                         int search, double amount, double sigma) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        if (!(h >= 0) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("h: must be finite and >= 0 (0 skips denoising), got " + h);
        }
        // Validate the window sizes and sigma even when their step is switched off.
        NlMeansDenoise d = new NlMeansDenoise(h > 0 ? h : 1, template, search);
        UnsharpMask s = new UnsharpMask(amount, sigma);
        this.h = h;
        this.template = template;
        this.search = search;
        this.amount = amount;
        this.sigma = sigma;
        this.denoise = h > 0 ? d : null;
        this.sharpen = amount > 0 ? s : null;
    }

    /** Process-DAE with the autoencoder's encoder and decoder and the default denoise and sharpen settings. */
    public static DaeProjection of(Autoencoder autoencoder) {
        NlMeansDenoise d = NlMeansDenoise.defaults();
        UnsharpMask s = UnsharpMask.defaults();
        return of(autoencoder, d.h(), d.template(), d.search(), s.amount(), s.sigma());
    }

    public static DaeProjection of(Autoencoder autoencoder, double h, int template, int search, double amount,
                                   double sigma) {
        Objects.requireNonNull(autoencoder, "autoencoder");
        return new DaeProjection(autoencoder::encode, autoencoder::decode, h, template, search, amount, sigma);
    }

    @Override
    public INDArray apply(INDArray batch) {
        if (batch == null || batch.rank() != 4) {
            throw new IllegalArgumentException("batch: dae expects [n, c, h, w], got "
                    + (batch == null ? "null" : Arrays.toString(batch.shape())));
        }
        INDArray decoded = decoder.apply(encoder.apply(batch));
        if (decoded.length() != batch.length()) {
            throw new IllegalStateException("dae: decoder returned " + Arrays.toString(decoded.shape()) + " for a batch of "
                    + Arrays.toString(batch.shape()));
        }
        INDArray x = decoded.reshape('c', batch.shape());
        if (x.dataType() != batch.dataType()) {
            x = x.castTo(batch.dataType());
        }
        if (denoise != null) {
            x = denoise.apply(x);
        }
        if (sharpen != null) {
            x = sharpen.apply(x);
        }
        return x;
    }

    public double h() {
        return h;
    }

    public int template() {
        return template;
    }

    public int search() {
        return search;
    }

    public double amount() {
        return amount;
    }

    public double sigma() {
        return sigma;
    }

    /** The spec that {@link ProcessStepSpecs#parse(String, Autoencoder)} reads back to this step. */
    @Override
    public String name() {
        return NAME + ":h=" + Params.format(h) + ",template=" + template + ",search=" + search + ",amount="
                + Params.format(amount) + ",sigma=" + Params.format(sigma);
    }
}
