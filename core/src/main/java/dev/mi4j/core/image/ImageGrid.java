package dev.mi4j.core.image;

import dev.mi4j.core.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plain grid of images without labels (e.g. a GAN's samples): row-major, {@code columns} per
 * row, a 2-pixel grey gap, each image scaled up by an integer factor (nearest neighbour).
 */
public final class ImageGrid {

    private static final int GAP = 2;

    private ImageGrid() {
    }

    /**
     * @param images  [n, c, h, w], pixels in [0, 1], n >= 1
     * @param columns images per row, >= 1
     * @param scale   integer upscaling, >= 1
     */
    public static BufferedImage build(INDArray images, int columns, int scale) {
        if (images == null || images.rank() != 4 || images.size(0) < 1) {
            throw new IllegalArgumentException("images: expected [n, c, h, w] with n >= 1");
        }
        if (columns < 1 || scale < 1) {
            throw new IllegalArgumentException("columns and scale: must be >= 1, got " + columns + " and " + scale);
        }
        int n = (int) images.size(0);
        int h = (int) images.size(2) * scale;
        int w = (int) images.size(3) * scale;
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cols * (w + GAP) + GAP, rows * (h + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(new Color(128, 128, 128));
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < n; i++) {
                BufferedImage img = Images.toImage(images.slice(i));
                if (scale > 1) {
                    img = Images.upscale(img, scale);
                }
                g.drawImage(img, GAP + (i % cols) * (w + GAP), GAP + (i / cols) * (h + GAP), null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** {@link #build} written as a PNG, atomically. */
    public static void write(INDArray images, int columns, int scale, Path png) {
        BufferedImage img = build(images, columns, scale);
        AtomicFiles.writeVia(png, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
