package dev.mi4j.attacks.miface.process;

import dev.mi4j.attacks.miface.process.ProcessStep;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Unsharp-mask sharpening ({@code sharpen:amount=1,sigma=1}), the paper's Sharpen:
 * x + amount * (x - blur(x)), clamped to [0, 1], where blur is OpenCV's {@code GaussianBlur}
 * with standard deviation sigma (kernel size derived by OpenCV, mirrored border) on each channel
 * of each image, in 32-bit float: no quantisation.
 *
 * @param amount how much of the high-pass detail to add (finite, >= 0; 0 leaves the image unchanged)
 * @param sigma  standard deviation of the Gaussian blur in pixels (finite, > 0, <= 50)
 */
public record UnsharpMask(double amount, double sigma) implements ProcessStep {

    public static final String NAME = "sharpen";

    public UnsharpMask {
        if (!(amount >= 0) || !Double.isFinite(amount)) {
            throw new IllegalArgumentException("amount: must be finite and >= 0, got " + amount);
        }
        if (!(sigma > 0) || !(sigma <= 50)) {
            throw new IllegalArgumentException("sigma: must be in (0, 50], got " + sigma);
        }
    }

    public static UnsharpMask defaults() {
        return new UnsharpMask(1.0, 1.0);
    }

    @Override
    public INDArray apply(INDArray batch) {
        BatchPixels px = BatchPixels.of(batch, NAME);
        float[] out = new float[px.data.length];
        int plane = px.planeSize();
        float[] blurred = new float[plane];
        try (Mat src = new Mat(px.height, px.width, opencv_core.CV_32FC1); Mat dst = new Mat();
             Size auto = new Size(0, 0)) {
            FloatBuffer in = src.createBuffer();
            for (int i = 0; i < px.n; i++) {
                for (int c = 0; c < px.channels; c++) {
                    int off = px.offset(i, c);
                    in.clear();
                    in.put(px.data, off, plane);
                    opencv_imgproc.GaussianBlur(src, dst, auto, sigma, sigma, opencv_core.BORDER_REFLECT_101);
                    FloatBuffer res = dst.createBuffer();
                    res.get(blurred);
                    for (int p = 0; p < plane; p++) {
                        float x = px.data[off + p];
                        out[off + p] = BatchPixels.clamp01(x + (float) amount * (x - blurred[p]));
                    }
                }
            }
        }
        return px.toTensor(out);
    }

    /** The spec that {@link ProcessStepSpecs#parse} reads back to this step. */
    @Override
    public String name() {
        return NAME + ":amount=" + Params.format(amount) + ",sigma=" + Params.format(sigma);
    }
}
