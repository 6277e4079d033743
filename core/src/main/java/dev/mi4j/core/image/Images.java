package dev.mi4j.core.image;

import dev.mi4j.core.io.AtomicFiles;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between image tensors ([c, h, w], pixels in [0, 1]) and {@link BufferedImage}s,
 * and exact PNG output.
 *
 * <p>Gray images are read and written through the raster samples, never through
 * {@code getRGB/setRGB}: Java's gray colour space is linear, so those calls apply a gamma curve
 * and a written value would not read back as itself.
 */
public final class Images {

    private Images() {
    }

    /**
     * The tensor as an 8-bit image: 1 channel gives {@code TYPE_BYTE_GRAY}, 3 give {@code TYPE_INT_RGB}.
     * Values are clamped to [0, 1] (NaN counts as 0) and rounded to 0..255.
     *
     * @param chw [c, h, w] or [1, c, h, w] with c = 1 or 3
     */
    public static BufferedImage toImage(INDArray chw) {
        long[] s = chwShape(chw, "chw");
        int c = (int) s[0];
        int h = (int) s[1];
        int w = (int) s[2];
        double[] v = chw.dup().data().asDouble(); // dup: a view's buffer is not in c order
        if (c == 1) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            WritableRaster r = img.getRaster();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    r.setSample(x, y, 0, toByte(v[y * w + x]));
                }
            }
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int rgb = toByte(v[i]) << 16 | toByte(v[plane + i]) << 8 | toByte(v[2 * plane + i]);
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    /** Writes the tensor as a PNG (8-bit gray or RGB; exact for multiples of 1/255), atomically. */
    public static void writePng(INDArray chw, Path file) {
        BufferedImage img = toImage(chw);
        AtomicFiles.writeVia(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /**
     * The image as a [c, h, w] FLOAT tensor in [0, 1]; c = 1 if {@code grayscale}, else 3.
     * A gray image asked for in colour has its channel repeated; a colour image asked for in gray
     * is reduced with the ITU-R BT.601 luma weights (0.299 R + 0.587 G + 0.114 B).
     */
    public static INDArray fromImage(BufferedImage img, boolean grayscale) {
        if (img == null) {
            throw new IllegalArgumentException("img: must not be null");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        int c = grayscale ? 1 : 3;
        float[] out = new float[c * h * w];
        int plane = h * w;
        if (isPlainGray(img)) {
            Raster r = img.getRaster();
            double max = (1L << r.getSampleModel().getSampleSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float g = (float) (r.getSample(x, y, 0) / max);
                    for (int ch = 0; ch < c; ch++) {
                        out[ch * plane + y * w + x] = g;
                    }
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    int red = rgb >> 16 & 0xff;
                    int green = rgb >> 8 & 0xff;
                    int blue = rgb & 0xff;
                    int i = y * w + x;
                    if (grayscale) {
                        out[i] = (float) ((0.299 * red + 0.587 * green + 0.114 * blue) / 255.0);
                    } else {
                        out[i] = red / 255f;
                        out[plane + i] = green / 255f;
                        out[2 * plane + i] = blue / 255f;
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {c, h, w}, DataType.FLOAT);
    }

    /**
     * The image linearly rescaled so that its darkest pixel becomes 0 and its brightest 1 (over all
     * channels together, so colours keep their balance): what papers call a contrast-normalised
     * reconstruction. MI-Face from a zero start often returns images whose pixels all lie in
     * [0, 0.05]; shown raw they are black squares, stretched they show what the attack drew. An image
     * whose range is below one 8-bit grey level (1/255) has nothing to stretch and is returned as a
     * copy unchanged. NaN pixels count as 0. Returns a new [c, h, w] FLOAT tensor; the input is not modified.
     *
     * @param chw [c, h, w] or [1, c, h, w]
     */
    public static INDArray contrastStretch(INDArray chw) {
        long[] s = chwShape(chw, "chw");
        float[] v = chw.dup().castTo(DataType.FLOAT).data().asFloat();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            if (Float.isNaN(v[i])) {
                v[i] = 0;
            }
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        if (max - min >= 1f / 255f) {
            float range = max - min;
            for (int i = 0; i < v.length; i++) {
                v[i] = (v[i] - min) / range;
            }
        }
        return Nd4j.create(v, s, DataType.FLOAT);
    }

    /** Nearest-neighbour enlargement by an integer factor; pixel values are copied exactly. */
    public static BufferedImage upscale(BufferedImage img, int factor) {
        if (img == null) {
            throw new IllegalArgumentException("img: must not be null");
        }
        if (factor < 1) {
            throw new IllegalArgumentException("factor: must be >= 1, got " + factor);
        }
        if (factor == 1) {
            return img;
        }
        ColorModel cm = img.getColorModel();
        WritableRaster dst = cm.createCompatibleWritableRaster(img.getWidth() * factor, img.getHeight() * factor);
        Raster src = img.getRaster();
        Object px = null;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                px = src.getDataElements(x, y, px);
                for (int dy = 0; dy < factor; dy++) {
                    for (int dx = 0; dx < factor; dx++) {
                        dst.setDataElements(x * factor + dx, y * factor + dy, px);
                    }
                }
            }
        }
        return new BufferedImage(cm, dst, cm.isAlphaPremultiplied(), null);
    }

    /**
     * Validates an image tensor and returns its [c, h, w] shape.
     *
     * @param name parameter name for the error message
     */
    public static long[] chwShape(INDArray chw, String name) {
        if (chw == null) {
            throw new IllegalArgumentException(name + ": must not be null");
        }
        long[] s = chw.shape();
        if (s.length == 4 && s[0] == 1) {
            s = new long[] {s[1], s[2], s[3]};
        }
        if (s.length != 3) {
            throw new IllegalArgumentException(name + ": expected [c, h, w] or [1, c, h, w], got "
                    + java.util.Arrays.toString(chw.shape()));
        }
        if (s[0] != 1 && s[0] != 3) {
            throw new IllegalArgumentException(name + ": expected 1 (gray) or 3 (RGB) channels, got " + s[0]);
        }
        return s;
    }

    private static boolean isPlainGray(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        return img.getRaster().getNumBands() == 1 && !(cm instanceof IndexColorModel)
                && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    private static int toByte(double v) {
        if (!(v > 0)) { // also NaN
            return 0;
        }
        return v >= 1 ? 255 : (int) Math.round(v * 255.0);
    }
}
