package dev.mi4j.experiments.report;

import dev.mi4j.core.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Several XChart panels in one PNG, row by row, {@code columns} to a row: the one place where the
 * static multi-panel figures (countermeasure curves, privacy-utility, attribute-inference bars) are
 * put together. XChart draws one chart per image; this only lays the images out and writes the
 * result atomically.
 */
public final class ChartGrid {

    private ChartGrid() {
    }

    /** Draws the charts and writes them as one PNG, {@code columns} panels per row. */
    public static void write(List<? extends Chart<?, ?>> charts, int columns, Path png) {
        writeImages(charts.stream().map(BitmapEncoder::getBufferedImage).toList(), columns, png);
    }

    /** Lays already drawn panels out, {@code columns} per row (cells as large as the largest panel). */
    public static void writeImages(List<BufferedImage> panels, int columns, Path png) {
        if (panels.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("a chart grid needs at least one panel and one column");
        }
        int cellW = panels.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow();
        int cellH = panels.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage all = new BufferedImage(cellW * cols, cellH * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), (i % cols) * cellW, (i / cols) * cellH, null);
        }
        g.dispose();
        AtomicFiles.writeVia(png, tmp -> ImageIO.write(all, "png", tmp.toFile()));
    }
}
