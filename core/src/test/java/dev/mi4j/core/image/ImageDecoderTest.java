package dev.mi4j.core.image;

import dev.mi4j.core.testing.SharedDatasets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageDecoderTest {

    @TempDir
    Path tmp;

    // ------------------------------------------------------------ valid files

    @Test
    void readsRealAttPgmExactly() throws IOException {
        Path file = SharedDatasets.root().resolve("att_faces/s1/1.pgm");
        byte[] raw = Files.readAllBytes(file);
        INDArray img = ImageDecoder.read(file, true, 0, 0);
        assertArrayEquals(new long[] {1, 112, 92}, img.shape());
        assertEquals(DataType.FLOAT, img.dataType());
        // Header is "P5\n92 112\n255\n" (14 bytes); pixels follow row by row.
        int header = 14;
        for (int y = 0; y < 112; y += 13) {
            for (int x = 0; x < 92; x += 7) {
                assertEquals((raw[header + y * 92 + x] & 0xff) / 255f, img.getFloat(0, y, x), 1e-7);
            }
        }
        assertEquals(new ImageShape(1, 112, 92), ImageDecoder.probe(file, true));
        INDArray rgb = ImageDecoder.read(file, false, 0, 0);
        assertArrayEquals(new long[] {3, 112, 92}, rgb.shape());
        assertEquals(img.getFloat(0, 50, 50), rgb.getFloat(2, 50, 50), 0f);
    }

    @Test
    void readsAsciiPgmWithComments() throws IOException {
        Path f = write("a.pgm", "P2\n# made by hand\n3 2 # width height\n10\n0 5 10\n# row two\n10 5 0\n");
        INDArray img = ImageDecoder.read(f, true, 0, 0);
        assertArrayEquals(new long[] {1, 2, 3}, img.shape());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 1f, 0.5f, 0f}, img.data().asFloat(), 1e-7f);
    }

    @Test
    void readsBinaryPgmWithCommentAndSixteenBitSamples() throws IOException {
        byte[] header = "P5\n# c\n2 1\n65535\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pixels = {(byte) 0xff, (byte) 0xff, 0x00, 0x00};
        Path f = writeBytes("w.pgm", concat(header, pixels));
        assertArrayEquals(new float[] {1f, 0f}, ImageDecoder.read(f, true, 0, 0).data().asFloat(), 1e-7f);

        Path g = writeBytes("m.pgm", concat("P5 2 1 100\n".getBytes(StandardCharsets.US_ASCII), new byte[] {50, 100}));
        assertArrayEquals(new float[] {0.5f, 1f}, ImageDecoder.read(g, true, 0, 0).data().asFloat(), 1e-7f);
    }

    @Test
    void readsPngThroughImageIoGreyAndRgb() throws IOException {
        BufferedImage gray = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 2, 0, 200);
        Path g = tmp.resolve("g.png");
        ImageIO.write(gray, "png", g.toFile());
        INDArray gi = ImageDecoder.read(g, true, 0, 0);
        assertArrayEquals(new long[] {1, 3, 4}, gi.shape());
        assertEquals(200 / 255f, gi.getFloat(0, 2, 1), 1e-7);
        assertEquals(0f, gi.getFloat(0, 0, 0), 0f);

        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 0, 0xff8000);
        Path c = tmp.resolve("c.png");
        ImageIO.write(rgb, "png", c.toFile());
        INDArray ci = ImageDecoder.read(c, false, 0, 0);
        assertArrayEquals(new long[] {3, 2, 2}, ci.shape());
        assertEquals(1f, ci.getFloat(0, 0, 1), 1e-7);
        assertEquals(128 / 255f, ci.getFloat(1, 0, 1), 1e-7);
        assertEquals(0f, ci.getFloat(2, 0, 1), 1e-7);
        INDArray luma = ImageDecoder.read(c, true, 0, 0);
        assertEquals((0.299f * 255 + 0.587f * 128) / 255f, luma.getFloat(0, 0, 1), 1e-5);
        assertEquals(new ImageShape(3, 2, 2), ImageDecoder.probe(c, false));
    }

    @Test
    void resizeAveragesAreasWhenShrinkingAndKeepsConstantImagesConstant() throws IOException {
        // 4x2 image: 2x2 blocks with means 0.25 and 0.75 (values in 1/255 steps avoided: maxval 4).
        Path f = write("b.pgm", "P2 4 2 4\n0 2 3 3\n1 1 3 3\n");
        INDArray small = ImageDecoder.read(f, true, 1, 2);
        assertArrayEquals(new long[] {1, 1, 2}, small.shape());
        assertEquals((0 + 2 + 1 + 1) / 4f / 4f, small.getFloat(0, 0, 0), 1e-6);
        assertEquals(3 / 4f, small.getFloat(0, 0, 1), 1e-6);

        Path flat = write("flat.pgm", "P2 5 3 10\n" + "7 ".repeat(15) + "\n");
        for (int[] hw : new int[][] {{9, 11}, {2, 2}, {3, 10}, {1, 1}}) {
            INDArray r = ImageDecoder.read(flat, false, hw[0], hw[1]);
            assertArrayEquals(new long[] {3, hw[0], hw[1]}, r.shape());
            assertEquals(0.7, r.minNumber().doubleValue(), 1e-6);
            assertEquals(0.7, r.maxNumber().doubleValue(), 1e-6);
        }
        // Deterministic: the same call gives the same bits.
        Path att = SharedDatasets.root().resolve("att_faces/s2/3.pgm");
        assertArrayEquals(ImageDecoder.read(att, true, 64, 64).data().asFloat(),
                ImageDecoder.read(att, true, 64, 64).data().asFloat(), 0f);
    }

    @Test
    void bilinearUpscaleInterpolatesBetweenPixels() throws IOException {
        Path f = write("two.pgm", "P2 2 1 10\n0 10\n");
        float[] v = ImageDecoder.read(f, true, 1, 4).data().asFloat();
        // Centres of 4 outputs map to source x = -0.25, 0.25, 0.75, 1.25 (clamped).
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, v, 1e-6f);
    }

    // ------------------------------------------------------------ bad files

    @Test
    void truncatedPgmIsRefusedWithByteCounts() throws IOException {
        byte[] header = "P5\n92 112\n255\n".getBytes(StandardCharsets.US_ASCII);
        Path f = writeBytes("1.pgm", concat(header, new byte[5000]));
        assertFailure(f, "truncated PGM: expected 10304 bytes of pixels, found 5000");
        Path a = write("2.pgm", "P2 3 2 255\n1 2 3 4\n");
        assertFailure(a, "truncated PGM");
    }

    @Test
    void zeroLengthFileIsRefused() throws IOException {
        assertFailure(writeBytes("empty.pgm", new byte[0]), "empty file");
        assertFailure(writeBytes("empty.jpg", new byte[0]), "empty file");
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        assertFailure(write("x.pgm", "P6\n2 2\n255\n......"), "wrong magic for PGM");
        assertFailure(write("y.pgm", "GIF89a......"), "wrong magic for PGM");
    }

    @Test
    void badHeadersAreRefused() throws IOException {
        assertFailure(write("h1.pgm", "P5\nabc 112\n255\n"), "width is not a number");
        assertFailure(write("h2.pgm", "P5\n92 112\n0\n"), "maxval 0");
        assertFailure(write("h3.pgm", "P5\n92 112\n70000\n"), "maxval 70000");
        assertFailure(write("h4.pgm", "P5\n92"), "truncated PGM header");
        assertFailure(write("h5.pgm", "P5\n0 112\n255\n"), "invalid image size 0x112");
        assertFailure(write("h6.pgm", "P2 2 1 10\n3 11\n"), "value 11 above maxval 10");
        assertFailure(write("h7.pgm", "P5\n92x112\n255\n"), "followed by 'x'");
    }

    @Test
    void hugeDimensionsAreRefusedBeforeAllocating() throws IOException {
        Path f = write("huge.pgm", "P5 100000 100000 255\n");
        assertFailure(f, "exceeds the limit");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ImageDecoder.probe(f, true));
        assertTrue(e.getMessage().startsWith(f.toString()));
        assertFailure(write("wide.pgm", "P5 20001 1 255\n"), "exceeds the limit");
        // 10000 x 6000 = 60 M pixels: each side is allowed, the product is not.
        assertFailure(write("area.pgm", "P5 10000 6000 255\n"), "exceeds the limit");
        assertFailure(write("int.pgm", "P5 99999999999 1 255\n"), "too large");

        // Same limit through ImageIO: a PNG whose IHDR claims 30000 x 30000.
        Path png = tmp.resolve("huge.png");
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
        byte[] b = Files.readAllBytes(png);
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.putInt(16, 30000).putInt(20, 30000);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17); // "IHDR" + 13 data bytes
        bb.putInt(29, (int) crc.getValue());
        Files.write(png, b);
        assertFailure(png, "exceeds the limit");
    }

    @Test
    void nonImagesAndCorruptImageIoFilesAreRefused() throws IOException {
        assertFailure(write("notes.png", "this is a text file, not an image\n"), "not a recognised image");
        assertFailure(write("subject01.happy", "hello"), "not a recognised image");

        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) {
            img.setRGB(i, i, 0xffffff);
        }
        Path jpg = tmp.resolve("t.jpg");
        ImageIO.write(img, "jpg", jpg.toFile());
        byte[] whole = Files.readAllBytes(jpg);
        Path cut = writeBytes("cut.jpg", Arrays.copyOf(whole, whole.length / 2));
        Mi4jException e = assertThrows(Mi4jException.class, () -> ImageDecoder.read(cut, false, 0, 0));
        assertOneLineNaming(cut, e);
        assertFailure(tmp.resolve("absent.pgm"), "file not found");
    }

    // ------------------------------------------------------------ helpers

    private void assertFailure(Path file, String expected) {
        Mi4jException e = assertThrows(Mi4jException.class, () -> ImageDecoder.read(file, true, 0, 0));
        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    private static void assertOneLineNaming(Path file, Mi4jException e) {
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        return writeBytes(name, content.getBytes(StandardCharsets.US_ASCII));
    }

    private Path writeBytes(String name, byte[] content) throws IOException {
        return Files.write(tmp.resolve(name), content);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
