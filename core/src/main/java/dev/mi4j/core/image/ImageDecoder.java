package dev.mi4j.core.image;

import dev.mi4j.core.Mi4jException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Decodes image files into channels-first float pixels in [0, 1], in pure Java (no OpenCV).
 *
 * <p>PGM (binary P5 and ASCII P2, 8 or 16 bit) is parsed by hand because the JDK has no PGM
 * reader; PNG, JPEG, GIF and BMP go through {@code javax.imageio}. The format is recognised from
 * the file's first bytes, not its name (Yale's files have no extension).
 *
 * <p>Files are untrusted input: the dimensions in the header are checked against
 * {@link #MAX_PIXELS} and {@link #MAX_DIMENSION} before anything is allocated, truncated data is
 * refused, and every failure is a {@link Mi4jException} whose one-line message starts with the
 * file path.
 */
public final class ImageDecoder {

    /** Largest image accepted, in pixels (width times height). */
    public static final long MAX_PIXELS = 50_000_000L;
    /** Largest width or height accepted. */
    public static final int MAX_DIMENSION = 20_000;

    /** A PGM header longer than this (comments included) is refused rather than scanned forever. */
    private static final int MAX_PGM_HEADER_BYTES = 64 * 1024;

    static {
        // ImageIO's disk cache writes temporary files; images here are small, memory is enough.
        ImageIO.setUseCache(false);
    }

    /** Decoded pixels: channels first, row-major, values in [0, 1]. */
    public record Pixels(ImageShape shape, float[] data) {
    }

    private ImageDecoder() {
    }

    /**
     * Reads one image as a [c, h, w] FLOAT tensor with values in [0, 1].
     *
     * @param grayscale true for one channel (luma), false for three (RGB; grey images are repeated)
     * @param height    output height, or <= 0 to keep the file's size (with width <= 0 too)
     * @param width     output width, or <= 0 to keep the file's size (with height <= 0 too)
     */
    public static INDArray read(Path file, boolean grayscale, int height, int width) {
        Pixels p = decode(file, grayscale, height, width);
        ImageShape s = p.shape();
        return Nd4j.create(p.data(), new long[] {s.channels(), s.height(), s.width()}, DataType.FLOAT);
    }

    /** Like {@link #read} but returns the raw float array, for callers that stack many images. */
    public static Pixels decode(Path file, boolean grayscale, int height, int width) {
        if ((height > 0) != (width > 0)) {
            throw new IllegalArgumentException("height and width must both be > 0 (resize) or both <= 0 (keep size), got "
                    + height + "x" + width);
        }
        if (height > MAX_DIMENSION || width > MAX_DIMENSION) {
            throw new IllegalArgumentException("resize target " + height + "x" + width + " exceeds " + MAX_DIMENSION);
        }
        Pixels native_ = decodeNative(file, grayscale);
        if (height <= 0 || (height == native_.shape().height() && width == native_.shape().width())) {
            return native_;
        }
        return Resize.resize(native_, height, width);
    }

    /** Shape the image would have when read with this {@code grayscale} flag, from its header only. */
    public static ImageShape probe(Path file, boolean grayscale) {
        int channels = grayscale ? 1 : 3;
        byte[] magic = readMagic(file);
        if (isPgmMagic(magic)) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                PgmHeader h = PgmHeader.parse(file, in);
                return new ImageShape(channels, h.height, h.width);
            } catch (IOException e) {
                throw ioFailure(file, e);
            }
        }
        checkNotOtherPgm(file, magic);
        try (ImageInputStream iis = openImageIo(file)) {
            ImageReader reader = readerFor(file, iis);
            try {
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                checkDimensions(file, w, h);
                return new ImageShape(channels, h, w);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    private static Pixels decodeNative(Path file, boolean grayscale) {
        byte[] magic = readMagic(file);
        if (isPgmMagic(magic)) {
            return Pgm.read(file, grayscale);
        }
        checkNotOtherPgm(file, magic);
        return readWithImageIo(file, grayscale);
    }

    // ---------------------------------------------------------------- format detection

    private static byte[] readMagic(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(2);
            if (b.length == 0) {
                throw new Mi4jException(file + ": empty file (0 bytes), not an image");
            }
            return b;
        } catch (NoSuchFileException e) {
            throw new Mi4jException(file + ": file not found", e);
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    private static boolean isPgmMagic(byte[] m) {
        return m.length == 2 && m[0] == 'P' && (m[1] == '5' || m[1] == '2');
    }

    /** A file named .pgm that does not start with P5/P2 is a PGM with the wrong magic, say so. */
    private static void checkNotOtherPgm(Path file, byte[] magic) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pgm")) {
            throw new Mi4jException(file + ": wrong magic for PGM: expected 'P5' or 'P2', found " + printable(magic));
        }
        if (magic.length == 2 && magic[0] == 'P' && magic[1] >= '1' && magic[1] <= '7') {
            throw new Mi4jException(file + ": unsupported Netpbm format P" + (char) magic[1] + " (only PGM P5/P2 are read)");
        }
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder("'");
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('\'').toString();
    }

    static void checkDimensions(Path file, long width, long height) {
        if (width <= 0 || height <= 0) {
            throw new Mi4jException(file + ": invalid image size " + width + "x" + height);
        }
        if (width > MAX_DIMENSION || height > MAX_DIMENSION || width * height > MAX_PIXELS) {
            throw new Mi4jException(file + ": image size " + width + "x" + height + " exceeds the limit ("
                    + MAX_DIMENSION + " per side, " + MAX_PIXELS + " pixels); refusing to allocate it");
        }
    }

    static Mi4jException ioFailure(Path file, IOException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Mi4jException(file + ": cannot read: " + msg.replace('\n', ' '), e);
    }

    // ---------------------------------------------------------------- ImageIO (PNG, JPEG, GIF, BMP)

    private static ImageInputStream openImageIo(Path file) throws IOException {
        ImageInputStream iis = ImageIO.createImageInputStream(file.toFile());
        if (iis == null) {
            throw new Mi4jException(file + ": cannot open for reading");
        }
        return iis;
    }

    private static ImageReader readerFor(Path file, ImageInputStream iis) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
        if (!readers.hasNext()) {
            throw new Mi4jException(file + ": not a recognised image (expected PGM, PNG, JPEG, GIF or BMP)");
        }
        ImageReader reader = readers.next();
        reader.setInput(iis, true, true);
        return reader;
    }

    private static Pixels readWithImageIo(Path file, boolean grayscale) {
        BufferedImage img;
        try (ImageInputStream iis = openImageIo(file)) {
            ImageReader reader = readerFor(file, iis);
            try {
                // Size first: a forged header must not make read() allocate gigabytes.
                checkDimensions(file, reader.getWidth(0), reader.getHeight(0));
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener(collectWarnings(warnings));
                img = reader.read(0);
                if (!warnings.isEmpty()) {
                    // e.g. "Premature end of JPEG file": ImageIO fills the rest with grey and goes on.
                    throw new Mi4jException(file + ": corrupt or truncated " + reader.getFormatName()
                            + " image: " + warnings.get(0).replace('\n', ' '));
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw ioFailure(file, e);
        } catch (RuntimeException e) {
            if (e instanceof Mi4jException m) {
                throw m;
            }
            // Some ImageIO plugins throw unchecked exceptions on malformed data.
            throw new Mi4jException(file + ": corrupt image: " + e, e);
        }
        return toPixels(img, grayscale);
    }

    private static IIOReadWarningListener collectWarnings(List<String> sink) {
        return (source, warning) -> sink.add(warning);
    }

    private static Pixels toPixels(BufferedImage img, boolean grayscale) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        ColorModel cm = img.getColorModel();
        boolean directGray = cm.getNumColorComponents() == 1 && !(cm instanceof IndexColorModel)
                && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        float[] gray = null;
        if (directGray) {
            // Read raw samples: getRGB() on TYPE_BYTE_GRAY applies a gamma conversion that
            // changes the values.
            Raster r = img.getRaster();
            float max = (float) ((1L << cm.getComponentSize(0)) - 1);
            gray = new float[plane];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    gray[y * w + x] = r.getSample(x, y, 0) / max;
                }
            }
        }
        if (grayscale) {
            if (gray != null) {
                return new Pixels(new ImageShape(1, h, w), gray);
            }
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            float[] out = new float[plane];
            for (int i = 0; i < plane; i++) {
                int rgb = argb[i];
                // ITU-R BT.601 luma, as OpenCV's and PIL's greyscale conversions use.
                out[i] = (0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff)
                        + 0.114f * (rgb & 0xff)) / 255f;
            }
            return new Pixels(new ImageShape(1, h, w), clamp01(out));
        }
        float[] out = new float[3 * plane];
        if (gray != null) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(gray, 0, out, c * plane, plane);
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < plane; i++) {
                int rgb = argb[i];
                out[i] = ((rgb >> 16) & 0xff) / 255f;
                out[plane + i] = ((rgb >> 8) & 0xff) / 255f;
                out[2 * plane + i] = (rgb & 0xff) / 255f;
            }
        }
        return new Pixels(new ImageShape(3, h, w), out);
    }

    private static float[] clamp01(float[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.min(1f, Math.max(0f, a[i]));
        }
        return a;
    }

    // ---------------------------------------------------------------- PGM

    /** The header of a PGM file: magic, size, maxval, and where the pixels start. */
    static final class PgmHeader {
        final boolean binary;
        final int width;
        final int height;
        final int maxval;
        final long headerBytes;

        private PgmHeader(boolean binary, int width, int height, int maxval, long headerBytes) {
            this.binary = binary;
            this.width = width;
            this.height = height;
            this.maxval = maxval;
            this.headerBytes = headerBytes;
        }

        /**
         * Parses "P5|P2 ws width ws height ws maxval" followed by exactly one whitespace byte,
         * where ws is whitespace and '#' comments running to the end of the line. Leaves
         * {@code in} positioned at the first pixel.
         */
        static PgmHeader parse(Path file, InputStream in) throws IOException {
            Tokenizer t = new Tokenizer(file, in);
            int m0 = t.next();
            int m1 = t.next();
            if (m0 != 'P' || (m1 != '5' && m1 != '2')) {
                throw new Mi4jException(file + ": wrong magic for PGM: expected 'P5' or 'P2'");
            }
            long width = t.number("width");
            long height = t.number("height");
            long maxval = t.number("maxval");
            if (maxval < 1 || maxval > 65535) {
                throw new Mi4jException(file + ": bad PGM header: maxval " + maxval + " is outside 1..65535");
            }
            checkDimensions(file, width, height);
            // number() consumed the single whitespace byte that ends the header.
            return new PgmHeader(m1 == '5', (int) width, (int) height, (int) maxval, t.consumed);
        }

        int bytesPerSample() {
            return maxval < 256 ? 1 : 2;
        }
    }

    /** Reads header tokens byte by byte with a hard cap on header length. */
    private static final class Tokenizer {
        private final Path file;
        private final InputStream in;
        long consumed;

        Tokenizer(Path file, InputStream in) {
            this.file = file;
            this.in = in;
        }

        int next() throws IOException {
            if (consumed >= MAX_PGM_HEADER_BYTES) {
                throw new Mi4jException(file + ": bad PGM header: longer than " + MAX_PGM_HEADER_BYTES + " bytes");
            }
            int b = in.read();
            if (b >= 0) {
                consumed++;
            }
            return b;
        }

        /** Skips whitespace and comments, reads a decimal number and the one byte after it. */
        long number(String field) throws IOException {
            int b = next();
            while (true) {
                if (b == '#') {
                    while (b != '\n' && b != '\r' && b >= 0) {
                        b = next();
                    }
                } else if (isWhitespace(b)) {
                    b = next();
                } else {
                    break;
                }
            }
            if (b < 0) {
                throw new Mi4jException(file + ": truncated PGM header: missing " + field);
            }
            if (b < '0' || b > '9') {
                throw new Mi4jException(file + ": bad PGM header: " + field + " is not a number (found "
                        + printable(new byte[] {(byte) b}) + ")");
            }
            long v = 0;
            while (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
                if (v > Integer.MAX_VALUE) {
                    throw new Mi4jException(file + ": bad PGM header: " + field + " is too large");
                }
                b = next();
            }
            if (b == '#') {
                // A comment straight after the number: skip it; the line end is the separator.
                while (b != '\n' && b != '\r' && b >= 0) {
                    b = next();
                }
            }
            if (b < 0) {
                throw new Mi4jException(file + ": truncated PGM header after " + field);
            }
            if (!isWhitespace(b)) {
                throw new Mi4jException(file + ": bad PGM header: " + field + " is followed by "
                        + printable(new byte[] {(byte) b}) + " instead of whitespace");
            }
            return v;
        }
    }

    private static boolean isWhitespace(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
    }

    private static final class Pgm {

        static Pixels read(Path file, boolean grayscale) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                PgmHeader h = PgmHeader.parse(file, in);
                int plane = h.width * h.height;
                float[] gray = h.binary ? readBinary(file, in, h, plane) : readAscii(file, in, h, plane);
                if (grayscale) {
                    return new Pixels(new ImageShape(1, h.height, h.width), gray);
                }
                float[] rgb = new float[3 * plane];
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(gray, 0, rgb, c * plane, plane);
                }
                return new Pixels(new ImageShape(3, h.height, h.width), rgb);
            } catch (IOException e) {
                throw ioFailure(file, e);
            }
        }

        private static float[] readBinary(Path file, InputStream in, PgmHeader h, int plane) throws IOException {
            long expected = (long) plane * h.bytesPerSample();
            long available = Files.size(file) - h.headerBytes;
            // Compare with the file size before allocating: the header may lie.
            if (available < expected) {
                throw new Mi4jException(file + ": truncated PGM: expected " + expected + " bytes of pixels, found "
                        + Math.max(0, available));
            }
            byte[] raw = in.readNBytes((int) expected);
            if (raw.length < expected) {
                throw new Mi4jException(file + ": truncated PGM: expected " + expected + " bytes of pixels, found "
                        + raw.length);
            }
            float[] out = new float[plane];
            float max = h.maxval;
            if (h.bytesPerSample() == 1) {
                for (int i = 0; i < plane; i++) {
                    out[i] = sample(file, raw[i] & 0xff, h.maxval, i) / max;
                }
            } else {
                for (int i = 0; i < plane; i++) {
                    int v = ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff); // big-endian
                    out[i] = sample(file, v, h.maxval, i) / max;
                }
            }
            return out;
        }

        private static float[] readAscii(Path file, InputStream in, PgmHeader h, int plane) throws IOException {
            // An ASCII pixel takes at least two bytes ("0 "), except the last: bound the
            // allocation by the file size too.
            long available = Files.size(file) - h.headerBytes;
            if ((available + 1) / 2 < plane) {
                throw new Mi4jException(file + ": truncated PGM: expected " + plane + " ASCII pixel values, the file is too short ("
                        + Math.max(0, available) + " bytes after the header)");
            }
            float[] out = new float[plane];
            float max = h.maxval;
            int b = in.read();
            for (int i = 0; i < plane; i++) {
                while (isWhitespace(b) || b == '#') {
                    if (b == '#') {
                        while (b != '\n' && b != '\r' && b >= 0) {
                            b = in.read();
                        }
                    } else {
                        b = in.read();
                    }
                }
                if (b < 0) {
                    throw new Mi4jException(file + ": truncated PGM: expected " + plane + " pixel values, found " + i);
                }
                if (b < '0' || b > '9') {
                    throw new Mi4jException(file + ": bad PGM data: pixel " + i + " is not a number (found "
                            + printable(new byte[] {(byte) b}) + ")");
                }
                long v = 0;
                while (b >= '0' && b <= '9') {
                    v = Math.min(v * 10 + (b - '0'), 1L << 20);
                    b = in.read();
                }
                out[i] = sample(file, (int) v, h.maxval, i) / max;
            }
            return out;
        }

        private static int sample(Path file, int v, int maxval, int index) {
            if (v > maxval) {
                throw new Mi4jException(file + ": bad PGM data: pixel " + index + " has value " + v
                        + " above maxval " + maxval);
            }
            return v;
        }
    }
}
