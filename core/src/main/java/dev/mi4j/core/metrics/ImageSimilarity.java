package dev.mi4j.core.metrics;

import dev.mi4j.core.image.Images;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pixel similarity between two images with values in [0, 1]: MSE, PSNR and SSIM.
 *
 * <p>Tensor inputs are [c, h, w] or [1, c, h, w] (c = 1 or 3). Everything is computed in double
 * on plain arrays: the images are small (AT&amp;T faces are 112 x 92) and this keeps the
 * arithmetic easy to check against the paper. The array overloads take channel-major pixels
 * (the c-order flattening of a [c, h, w] tensor).
 */
public final class ImageSimilarity {

    /** Dynamic range of the pixel values (L in the SSIM paper; the peak in PSNR). */
    public static final double DATA_RANGE = 1.0;
    /** SSIM Gaussian window: 11 x 11, sigma 1.5, as in Wang et al. (2004). */
    public static final int SSIM_WINDOW = 11;
    public static final double SSIM_SIGMA = 1.5;
    public static final double SSIM_K1 = 0.01;
    public static final double SSIM_K2 = 0.03;

    private static final double[] WINDOW = gaussianWindow(SSIM_WINDOW, SSIM_SIGMA);

    private ImageSimilarity() {
    }

    /** Mean squared error over all pixels and channels. */
    public static double mse(INDArray a, INDArray b) {
        checkSameShape(a, b);
        return mse(pixels(a, "a"), pixels(b, "b"));
    }

    /**
     * Peak signal-to-noise ratio in dB with peak 1.0: 10 log10(1 / MSE). Identical images give
     * {@code Double.POSITIVE_INFINITY}; aggregate means should skip non-finite values.
     */
    public static double psnr(INDArray a, INDArray b) {
        return psnrFromMse(mse(a, b));
    }

    /**
     * Structural similarity exactly as Wang, Bovik, Sheikh &amp; Simoncelli (IEEE TIP 2004) and
     * their MATLAB {@code ssim_index}: 11 x 11 Gaussian window with sigma 1.5 normalised to sum 1,
     * K1 = 0.01, K2 = 0.03, L = 1, statistics with population (1/N-weighted) moments, the SSIM map
     * over the 'valid' region only (no padding), averaged. Several channels: the mean of the
     * per-channel SSIMs. Both images must be at least 11 x 11.
     */
    public static double ssim(INDArray a, INDArray b) {
        long[] s = checkSameShape(a, b);
        return ssim(pixels(a, "a"), pixels(b, "b"), (int) s[0], (int) s[1], (int) s[2]);
    }

    public static double mse(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("a, b: need the same non-zero number of pixels, got "
                    + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum / a.length;
    }

    public static double psnr(double[] a, double[] b) {
        return psnrFromMse(mse(a, b));
    }

    /** PSNR in dB for a given MSE (peak 1.0); +Infinity for MSE 0. */
    public static double psnrFromMse(double mse) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10.0 * Math.log10(DATA_RANGE * DATA_RANGE / mse);
    }

    /** SSIM on channel-major pixel arrays of shape [channels, height, width]. */
    public static double ssim(double[] a, double[] b, int channels, int height, int width) {
        if (a.length != b.length || a.length != channels * height * width) {
            throw new IllegalArgumentException("a, b: expected " + channels + "x" + height + "x" + width
                    + " = " + channels * height * width + " pixels, got " + a.length + " and " + b.length);
        }
        if (height < SSIM_WINDOW || width < SSIM_WINDOW) {
            throw new IllegalArgumentException("image: SSIM needs at least " + SSIM_WINDOW + "x" + SSIM_WINDOW
                    + " pixels, got " + height + "x" + width);
        }
        int plane = height * width;
        double sum = 0;
        for (int c = 0; c < channels; c++) {
            sum += ssimPlane(Arrays.copyOfRange(a, c * plane, (c + 1) * plane),
                    Arrays.copyOfRange(b, c * plane, (c + 1) * plane), height, width);
        }
        return sum / channels;
    }

    private static double ssimPlane(double[] x, double[] y, int h, int w) {
        double c1 = Math.pow(SSIM_K1 * DATA_RANGE, 2);
        double c2 = Math.pow(SSIM_K2 * DATA_RANGE, 2);
        int k = SSIM_WINDOW;
        int outH = h - k + 1;
        int outW = w - k + 1;
        double total = 0;
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                // Gaussian-weighted local moments of the k x k patch whose top-left corner is (oy, ox).
                double mx = 0;
                double my = 0;
                double xx = 0;
                double yy = 0;
                double xy = 0;
                for (int wy = 0; wy < k; wy++) {
                    int row = (oy + wy) * w + ox;
                    for (int wx = 0; wx < k; wx++) {
                        double g = WINDOW[wy * k + wx];
                        double px = x[row + wx];
                        double py = y[row + wx];
                        mx += g * px;
                        my += g * py;
                        xx += g * px * px;
                        yy += g * py * py;
                        xy += g * px * py;
                    }
                }
                double varX = xx - mx * mx;
                double varY = yy - my * my;
                double cov = xy - mx * my;
                total += ((2 * mx * my + c1) * (2 * cov + c2))
                        / ((mx * mx + my * my + c1) * (varX + varY + c2));
            }
        }
        return total / ((double) outH * outW);
    }

    /** MATLAB fspecial('gaussian', size, sigma): exp(-(u^2 + v^2) / (2 sigma^2)), normalised to sum 1. */
    static double[] gaussianWindow(int size, double sigma) {
        double[] win = new double[size * size];
        double half = (size - 1) / 2.0;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double u = i - half;
                double v = j - half;
                win[i * size + j] = Math.exp(-(u * u + v * v) / (2 * sigma * sigma));
                sum += win[i * size + j];
            }
        }
        for (int i = 0; i < win.length; i++) {
            win[i] /= sum;
        }
        return win;
    }

    /** The image's pixels, channel-major, as doubles; validates the shape. */
    public static double[] pixels(INDArray chw, String name) {
        Images.chwShape(chw, name);
        return chw.dup().data().asDouble();
    }

    private static long[] checkSameShape(INDArray a, INDArray b) {
        long[] sa = Images.chwShape(a, "a");
        long[] sb = Images.chwShape(b, "b");
        if (!Arrays.equals(sa, sb)) {
            throw new IllegalArgumentException("a, b: shapes differ: " + Arrays.toString(sa) + " vs " + Arrays.toString(sb));
        }
        return sa;
    }
}
