package dev.mi4j.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GalleryTest {

    private static final List<String> COLUMNS = List.of("training image", "class mean", "reconstruction");

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static INDArray filled(int c, int h, int w, double... value) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, c, h, w);
        for (int ch = 0; ch < c; ch++) {
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(ch)).assign(value[ch]);
        }
        return x;
    }

    private static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void copiesPixelsExactlyWithScaleAndMixedChannels() {
        // A colour no text antialiasing can produce (text is black on white, so gray levels only).
        INDArray teal = filled(3, 112, 92, 51 / 255.0, 153 / 255.0, 204 / 255.0);
        INDArray gray = filled(1, 112, 92, 0.4);
        BufferedImage g = Gallery.builder("MI-Face on AT&T").columns(COLUMNS).scale(2)
                .row("s1", List.of(gray, teal, gray), List.of("", "", "p=0.99"))
                .row("s2", java.util.Arrays.asList(teal, null, gray))
                .build();
        assertEquals(2 * 112 * 2 * 92 * 2, count(g, 51 << 16 | 153 << 8 | 204));
        int grayPixels = count(g, 102 << 16 | 102 << 8 | 102);
        assertTrue(grayPixels >= 3 * 112 * 2 * 92 * 2, "gray cells present: " + grayPixels);
        assertTrue(count(g, 0xffffff) > 0, "white background");
        assertTrue(count(g, 0) > 0, "black text drawn");
        assertTrue(g.getWidth() >= 3 * 92 * 2 && g.getHeight() >= 2 * 112 * 2);
    }

    @Test
    void manyRowsAreSplitIntoBlocksSideBySide() {
        List<INDArray> row = List.of(filled(1, 112, 92, 0.2), filled(1, 112, 92, 0.5), filled(1, 112, 92, 0.8));
        Gallery.Builder tall = Gallery.builder("40 identities").columns(COLUMNS);
        Gallery.Builder blocked = Gallery.builder("40 identities").columns(COLUMNS).rowsPerColumnBlock(20);
        for (int i = 1; i <= 40; i++) {
            tall.row("s" + i, row);
            blocked.row("s" + i, row);
        }
        BufferedImage t = tall.build();
        BufferedImage b = blocked.build();
        assertTrue(b.getHeight() < t.getHeight() * 0.6, b.getHeight() + " vs " + t.getHeight());
        assertTrue(b.getWidth() > t.getWidth() * 1.9, b.getWidth() + " vs " + t.getWidth());
        assertTrue(b.getHeight() >= 20 * 112);
        assertTrue(count(b, 51 << 16 | 51 << 8 | 51) >= 40 * 112 * 92, "all 40 rows drawn");
    }

    @Test
    void writesTheSamePng() throws Exception {
        Gallery.Builder b = Gallery.builder("t").columns(List.of("a")).row("r", List.of(filled(3, 11, 13, 1, 0, 0.5)));
        Path png = dir.resolve("out/gallery.png");
        b.write(png);
        BufferedImage read = ImageIO.read(png.toFile());
        BufferedImage built = b.build();
        assertEquals(built.getWidth(), read.getWidth());
        assertEquals(built.getHeight(), read.getHeight());
        for (int y = 0; y < built.getHeight(); y++) {
            for (int x = 0; x < built.getWidth(); x++) {
                assertEquals(built.getRGB(x, y), read.getRGB(x, y));
            }
        }
    }

    @Test
    void largeGalleriesArePagedIntoSeveralPngs() throws Exception {
        Gallery.Builder b = Gallery.builder("MI-Face").columns(COLUMNS).rowsPerColumnBlock(10);
        for (int i = 1; i <= 45; i++) {
            // the third column's colour is the row's own (no antialiased text is coloured)
            b.row("s" + i, List.of(filled(1, 8, 6, 0.97), filled(1, 8, 6, 0.99), filled(3, 8, 6, i / 50.0, 0.2, 0.6)));
        }
        Path png = dir.resolve("gallery.png");
        List<Path> pages = b.writePaged(png, 20);
        assertEquals(List.of(png, dir.resolve("gallery-p2.png"), dir.resolve("gallery-p3.png")), pages);
        for (int k = 0; k < 3; k++) {
            BufferedImage page = ImageIO.read(pages.get(k).toFile());
            // the rows drawn on page k are exactly 20k+1..20k+20
            java.util.Set<Integer> drawn = new java.util.TreeSet<>();
            java.util.Set<Integer> expected = new java.util.TreeSet<>();
            for (int i = 1; i <= 45; i++) {
                int v = (int) Math.round(255.0 * (double) (float) (i / 50.0));   // as Images.toImage rounds a float pixel
                if (count(page, v << 16 | 51 << 8 | 153) >= 48) {
                    drawn.add(i);
                }
                if (i > 20 * k && i <= 20 * (k + 1)) {
                    expected.add(i);
                }
            }
            assertEquals(expected, drawn, "rows on page " + (k + 1));
        }
        // one page is exactly write()
        Path single = dir.resolve("one/gallery.png");
        Gallery.Builder small = Gallery.builder("t").columns(List.of("a")).row("r", List.of(filled(1, 4, 4, 0.3)));
        assertEquals(List.of(single), small.writePaged(single, 20));
        assertTrue(!java.nio.file.Files.exists(dir.resolve("one/gallery-p2.png")));
        assertThrows(IllegalArgumentException.class, () -> small.writePaged(single, 0));
    }

    @Test
    void validatesInput() {
        assertThrows(IllegalStateException.class, () -> Gallery.builder("t").row("r", List.of()));
        Gallery.Builder b = Gallery.builder("t").columns(COLUMNS);
        List<INDArray> two = new ArrayList<>(List.of(filled(1, 4, 4, 0), filled(1, 4, 4, 0)));
        assertThrows(IllegalArgumentException.class, () -> b.row("r", two));
        assertThrows(IllegalArgumentException.class, () -> b.scale(0));
        assertThrows(IllegalArgumentException.class, () -> b.rowsPerColumnBlock(0));
        assertThrows(IllegalArgumentException.class, () -> Gallery.builder("t").columns(List.of()));
    }
}
