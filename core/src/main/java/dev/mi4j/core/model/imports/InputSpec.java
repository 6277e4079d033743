package dev.mi4j.core.model.imports;

import dev.mi4j.core.image.ImageShape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * How an imported model wants its input, declared by the user (a model file rarely says how its
 * pixels were prepared): the image shape it takes and the preprocessing from mi4j's [0, 1] pixels,
 * {@code x' = (x * scale - mean[c]) / std[c]} per channel c.
 *
 * <p>Examples: a model trained on [0, 1] pixels is {@link #identity}; a Keras model trained on
 * raw bytes has scale 255, mean 0, std 1; a torchvision-normalised model has scale 1, mean
 * (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).
 *
 * @param shape the image the model takes, [channels, height, width]
 * @param scale multiplies the [0, 1] pixels first (e.g. 1 or 255); finite, &gt; 0
 * @param mean  per channel, subtracted after scaling; one value per channel (a single value is
 *              repeated for every channel)
 * @param std   per channel, divides after the mean; finite, &gt; 0; one value per channel (a single
 *              value is repeated)
 */
public record InputSpec(ImageShape shape, double scale, double[] mean, double[] std) {

    /**
     * @throws IllegalArgumentException naming the field (shape, scale, mean, std) that is missing,
     *                                  not finite, not positive or of the wrong length
     */
    public InputSpec {
        if (shape == null) {
            throw new IllegalArgumentException("input shape: missing");
        }
        if (!Double.isFinite(scale) || scale <= 0) {
            throw new IllegalArgumentException("input scale: must be finite and > 0, got " + scale);
        }
        mean = perChannel("input mean", mean == null ? new double[] {0} : mean, shape.channels(), false);
        std = perChannel("input std", std == null ? new double[] {1} : std, shape.channels(), true);
    }

    /** No preprocessing: the model takes mi4j's [0, 1] pixels as they are. */
    public static InputSpec identity(ImageShape shape) {
        return new InputSpec(shape, 1, new double[] {0}, new double[] {1});
    }

    /** The same preprocessing for another shape (a single mean/std value is kept as one; per-channel values must fit). */
    public InputSpec withShape(ImageShape other) {
        return new InputSpec(other, scale, uniform(mean) ? new double[] {mean[0]} : mean,
                uniform(std) ? new double[] {std[0]} : std);
    }

    /** True when x' = x (scale 1, mean 0, std 1 on every channel). */
    public boolean isIdentity() {
        for (int c = 0; c < mean.length; c++) {
            if (mean[c] != 0 || std[c] != 1) {
                return false;
            }
        }
        return scale == 1;
    }

    /** The multiplier of channel c: d x' / d x = scale / std[c]. */
    public double gain(int c) {
        return scale / std[c];
    }

    /** The offset of channel c: x' = gain(c) * x - offset(c), offset = mean[c] / std[c]. */
    public double offset(int c) {
        return mean[c] / std[c];
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s && shape.equals(s.shape) && Double.compare(scale, s.scale) == 0
                && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shape, scale, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    /** One line, e.g. "3x28x23, x*255, mean [127, 115, 102], std [64, 51, 77]". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s, x*%s, mean %s, std %s", shape, num(scale), nums(mean), nums(std));
    }

    private static double[] perChannel(String field, double[] v, int channels, boolean positive) {
        if (v.length != 1 && v.length != channels) {
            throw new IllegalArgumentException(field + ": expected 1 or " + channels + " values (one per channel), got "
                    + v.length);
        }
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            double x = v[v.length == 1 ? 0 : c];
            if (!Double.isFinite(x) || (positive && x <= 0)) {
                throw new IllegalArgumentException(field + ": values must be finite" + (positive ? " and > 0" : "")
                        + ", got " + x);
            }
            out[c] = x;
        }
        return out;
    }

    private static boolean uniform(double[] v) {
        for (double x : v) {
            if (x != v[0]) {
                return false;
            }
        }
        return true;
    }

    private static String nums(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(num(v[i]));
        }
        return b.append(']').toString();
    }

    private static String num(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
