package dev.mi4j.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImagesTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Random pixels that are exact multiples of 1/255, as an 8-bit image holds them. */
    private static INDArray randomBytes(int c, int h, int w, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(256) / 255f;
        }
        return Nd4j.create(v, new long[] {c, h, w}, DataType.FLOAT);
    }

    @Test
    void grayPngRoundTripIsExact() throws Exception {
        INDArray x = randomBytes(1, 112, 92, 1);
        Path png = dir.resolve("sub/gray.png");
        Images.writePng(x, png);
        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(92, read.getWidth());
        assertEquals(112, read.getHeight());
        INDArray back = Images.fromImage(read, true);
        assertArrayEquals(new long[] {1, 112, 92}, back.shape());
        assertArrayEquals(x.data().asFloat(), back.data().asFloat(), 0f);
    }

    @Test
    void rgbPngRoundTripIsExactAndAcceptsBatchOfOne() throws Exception {
        INDArray x = randomBytes(3, 20, 30, 2);
        Path png = dir.resolve("rgb.png");
        Images.writePng(x.reshape(1, 3, 20, 30), png);
        INDArray back = Images.fromImage(ImageIO.read(png.toFile()), false);
        assertArrayEquals(new long[] {3, 20, 30}, back.shape());
        assertArrayEquals(x.data().asFloat(), back.data().asFloat(), 0f);
        // no leftover temporary file
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void valuesAreClampedAndRounded() {
        INDArray x = Nd4j.create(new float[] {-0.5f, 0f, 0.5f, 1f, 2f, Float.NaN, 0.4f / 255f, 0.6f / 255f},
                new long[] {1, 2, 4}, DataType.FLOAT);
        BufferedImage img = Images.toImage(x);
        int[] samples = img.getRaster().getSamples(0, 0, 4, 2, 0, (int[]) null);
        assertArrayEquals(new int[] {0, 0, 128, 255, 255, 0, 0, 1}, samples);
    }

    @Test
    void grayReadAsColourIsReplicatedAndColourReadAsGrayUsesLuma() {
        INDArray gray = randomBytes(1, 4, 5, 3);
        INDArray rgb = Images.fromImage(Images.toImage(gray), false);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(gray.data().asFloat(), rgb.get(org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup().data().asFloat(), 0f);
        }
        INDArray red = Nd4j.zeros(DataType.FLOAT, 3, 1, 1);
        red.putScalar(0, 0, 0, 1.0);
        assertEquals(0.299, Images.fromImage(Images.toImage(red), true).getDouble(0, 0, 0), 1e-6);
    }

    @Test
    void upscaleRepeatsEachPixel() {
        INDArray x = randomBytes(3, 3, 4, 4);
        BufferedImage small = Images.toImage(x);
        BufferedImage big = Images.upscale(small, 3);
        assertEquals(12, big.getWidth());
        assertEquals(9, big.getHeight());
        for (int y = 0; y < 9; y++) {
            for (int xx = 0; xx < 12; xx++) {
                assertEquals(small.getRGB(xx / 3, y / 3), big.getRGB(xx, y));
            }
        }
        BufferedImage g = Images.upscale(Images.toImage(randomBytes(1, 2, 2, 5)), 2);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, g.getType());
        assertThrows(IllegalArgumentException.class, () -> Images.upscale(small, 0));
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> Images.toImage(Nd4j.zeros(DataType.FLOAT, 2, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> Images.toImage(Nd4j.zeros(DataType.FLOAT, 2, 1, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> Images.toImage(Nd4j.zeros(DataType.FLOAT, 4, 4)));
    }

    @Test
    void contrastStretchMapsTheImagesRangeOntoZeroToOne() {
        // A near-black reconstruction: pixels in [0.01, 0.05].
        INDArray dark = Nd4j.create(new float[] {0.01f, 0.02f, 0.03f, 0.05f, 0.04f, 0.01f}, new long[] {1, 2, 3}, DataType.FLOAT);
        INDArray s = Images.contrastStretch(dark);
        assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 1f, 0.75f, 0f}, s.data().asFloat(), 1e-6f);
        assertEquals(0.01f, dark.getFloat(0), 0f, "input unchanged");
        // RGB: one range over all channels, so colours keep their balance
        INDArray rgb = Nd4j.create(new float[] {0.1f, 0.2f, 0.2f, 0.3f, 0.3f, 0.5f}, new long[] {3, 1, 2}, DataType.FLOAT);
        assertArrayEquals(new float[] {0f, 0.25f, 0.25f, 0.5f, 0.5f, 1f}, Images.contrastStretch(rgb).data().asFloat(), 1e-6f);
        // [1, c, h, w] is accepted and gives [c, h, w]
        assertArrayEquals(new long[] {1, 2, 3}, Images.contrastStretch(dark.reshape(1, 1, 2, 3)).shape());
        // less than one grey level of range: nothing to stretch, returned as it is
        INDArray flat = Nd4j.create(new float[] {0.5f, 0.501f, 0.5f, 0.5f}, new long[] {1, 2, 2}, DataType.FLOAT);
        assertArrayEquals(new float[] {0.5f, 0.501f, 0.5f, 0.5f}, Images.contrastStretch(flat).data().asFloat(), 1e-6f);
        // NaN counts as 0
        INDArray nan = Nd4j.create(new float[] {Float.NaN, 0.5f}, new long[] {1, 1, 2}, DataType.FLOAT);
        assertArrayEquals(new float[] {0f, 1f}, Images.contrastStretch(nan).data().asFloat(), 1e-6f);
    }
}
