package dev.mi4j.core.image;

import java.util.Locale;

/**
 * A fixed crop of an image, in fractions of its height and width, then a resize: how faces from
 * datasets of different framing (AT&amp;T's head-and-shoulders 92x112, LFW's 250x250 with the face in
 * the middle, Yale's 320x243 with background) are brought to one common, roughly aligned frame.
 * The pixel box is the fractions rounded to whole pixels; the resize is {@link ImageDecoder}'s
 * (area averaging when shrinking), so the result is deterministic.
 *
 * @param top    first row, as a fraction of the height, in [0, 1)
 * @param left   first column, as a fraction of the width, in [0, 1)
 * @param height rows kept, as a fraction of the height, in (0, 1 - top]
 * @param width  columns kept, as a fraction of the width, in (0, 1 - left]
 */
public record Crop(double top, double left, double height, double width) {

    /** The whole image. */
    public static final Crop NONE = new Crop(0, 0, 1, 1);

    public Crop {
        if (!(top >= 0 && top < 1 && left >= 0 && left < 1 && height > 0 && width > 0
                && top + height <= 1 + 1e-9 && left + width <= 1 + 1e-9)) {
            throw new IllegalArgumentException("crop: the box top " + top + ", left " + left + ", height " + height
                    + ", width " + width + " does not lie inside the image (fractions of its size)");
        }
    }

    /** The pixel box [row0, col0, rows, cols] of this crop on an image of h x w pixels. */
    public int[] box(int h, int w) {
        int r0 = (int) Math.round(top * h);
        int c0 = (int) Math.round(left * w);
        int rows = Math.max(1, Math.min(h - r0, (int) Math.round(height * h)));
        int cols = Math.max(1, Math.min(w - c0, (int) Math.round(width * w)));
        return new int[] {r0, c0, rows, cols};
    }

    /** The crop of {@code in}, resized to outH x outW. */
    public ImageDecoder.Pixels apply(ImageDecoder.Pixels in, int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("size: must be >= 1, got " + outH + "x" + outW);
        }
        ImageShape s = in.shape();
        int[] b = box(s.height(), s.width());
        int c = s.channels();
        float[] src = in.data();
        float[] out = new float[c * b[2] * b[3]];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < b[2]; y++) {
                System.arraycopy(src, (ch * s.height() + b[0] + y) * s.width() + b[1], out, (ch * b[2] + y) * b[3], b[3]);
            }
        }
        ImageDecoder.Pixels cropped = new ImageDecoder.Pixels(new ImageShape(c, b[2], b[3]), out);
        return b[2] == outH && b[3] == outW ? cropped : Resize.resize(cropped, outH, outW);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "rows %.3f+%.3f, cols %.3f+%.3f of the image", top, height, left, width);
    }
}
