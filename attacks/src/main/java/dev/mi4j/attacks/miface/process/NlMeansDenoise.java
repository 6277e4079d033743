package dev.mi4j.attacks.miface.process;

import dev.mi4j.attacks.miface.process.ProcessStep;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.opencv_core.Mat;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.nio.ByteBuffer;

/**
 * Non-local-means denoising ({@code denoise:h=10,template=7,search=21}), the paper's
 * NLMeansDenoise, through OpenCV's {@code fastNlMeansDenoising} (one channel) or
 * {@code fastNlMeansDenoisingColored} (three channels, given in BGR order; other channel counts
 * are denoised plane by plane), on every image of the batch.
 *
 * <p><b>Quantisation.</b> OpenCV's fast NL-means works on 8-bit images, so each image is rounded
 * to q = round(255 x) first. Rather than returning the 8-bit result (which would round away every
 * gradient step smaller than half a grey level, 1/510, and stall an attack that denoises after
 * each step), the step returns x + (NLM(q) - q) / 255: OpenCV's correction is computed on the
 * 8-bit image and added to the unquantised float image. The output therefore differs from the
 * plain 8-bit result by the rounding residue x - q/255, at most 1/510 per pixel; it is clamped to [0, 1].
 *
 * @param h        filter strength in grey levels of the 0..255 scale (> 0; larger removes more noise and detail)
 * @param template side of the patch compared, in pixels (odd, >= 1; OpenCV recommends 7)
 * @param search   side of the window searched for similar patches (odd, >= template; OpenCV recommends 21)
 */
public record NlMeansDenoise(double h, int template, int search) implements ProcessStep {

    public static final String NAME = "denoise";

    public NlMeansDenoise {
        if (!(h > 0) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("h: must be finite and > 0, got " + h);
        }
        if (template < 1 || template % 2 == 0) {
            throw new IllegalArgumentException("template: must be odd and >= 1, got " + template);
        }
        if (search < template || search % 2 == 0) {
            throw new IllegalArgumentException("search: must be odd and >= template (" + template + "), got " + search);
        }
    }

    /** OpenCV's recommended window sizes and h = 10. */
    public static NlMeansDenoise defaults() {
        return new NlMeansDenoise(10, 7, 21);
    }

    @Override
    public INDArray apply(INDArray batch) {
        BatchPixels px = BatchPixels.of(batch, NAME);
        float[] out = px.data.clone();
        int plane = px.planeSize();
        if (px.channels == 3) {
            byte[] q = new byte[3 * plane];
            for (int i = 0; i < px.n; i++) {
                for (int c = 0; c < 3; c++) {
                    int off = px.offset(i, 2 - c); // RGB planes -> interleaved BGR
                    for (int p = 0; p < plane; p++) {
                        q[3 * p + c] = quantise(px.data[off + p]);
                    }
                }
                byte[] d = denoise(q, px.height, px.width, true);
                for (int c = 0; c < 3; c++) {
                    int off = px.offset(i, 2 - c);
                    for (int p = 0; p < plane; p++) {
                        out[off + p] = correct(px.data[off + p], q[3 * p + c], d[3 * p + c]);
                    }
                }
            }
        } else {
            byte[] q = new byte[plane];
            for (int i = 0; i < px.n; i++) {
                for (int c = 0; c < px.channels; c++) {
                    int off = px.offset(i, c);
                    for (int p = 0; p < plane; p++) {
                        q[p] = quantise(px.data[off + p]);
                    }
                    byte[] d = denoise(q, px.height, px.width, false);
                    for (int p = 0; p < plane; p++) {
                        out[off + p] = correct(px.data[off + p], q[p], d[p]);
                    }
                }
            }
        }
        return px.toTensor(out);
    }

    private byte[] denoise(byte[] q, int height, int width, boolean colour) {
        int type = colour ? opencv_core.CV_8UC3 : opencv_core.CV_8UC1;
        try (Mat src = new Mat(height, width, type); Mat dst = new Mat()) {
            ByteBuffer in = src.createBuffer();
            in.put(q);
            if (colour) {
                opencv_photo.fastNlMeansDenoisingColored(src, dst, (float) h, (float) h, template, search);
            } else {
                opencv_photo.fastNlMeansDenoising(src, dst, (float) h, template, search);
            }
            byte[] r = new byte[q.length];
            ByteBuffer res = dst.createBuffer();
            res.get(r);
            return r;
        }
    }

    private static byte quantise(float v) {
        return (byte) Math.round(BatchPixels.clamp01(v) * 255f);
    }

    private static float correct(float x, byte q, byte d) {
        return BatchPixels.clamp01(x + ((d & 0xff) - (q & 0xff)) / 255f);
    }

    /** The spec that {@link ProcessStepSpecs#parse} reads back to this step. */
    @Override
    public String name() {
        return NAME + ":h=" + Params.format(h) + ",template=" + template + ",search=" + search;
    }
}
