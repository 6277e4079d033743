package dev.mi4j.core.image;

import dev.mi4j.core.io.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A labelled grid of images for a results page: one row per identity, one column per kind of
 * image ("training image", "class mean", "reconstruction"), a header over the columns, an
 * optional caption under each cell (e.g. "p=0.99"). With many rows the grid is cut into blocks
 * of {@link Builder#rowsPerColumnBlock} rows placed side by side, so 40 identities do not make
 * an absurdly tall PNG.
 *
 * <p>White background, black antialiased text in Java2D's logical sans-serif font. Gray and RGB
 * images may be mixed; pixels are copied exactly (nearest-neighbour scaling, gray replicated to
 * R = G = B). Drawing is off-screen only, so it works headless.
 */
public final class Gallery {

    private static final int PAD = 6;
    private static final int BLOCK_GAP = 24;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font TEXT_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Gallery() {
    }

    public static Builder builder(String title) {
        return new Builder(title);
    }

    private record Row(String label, List<BufferedImage> images, List<String> captions) {
    }

    /** Collects columns and rows; images are converted when added, so later tensor changes do not matter. */
    public static final class Builder {
        private final String title;
        private List<String> headers;
        private int scale = 1;
        private int rowsPerBlock = Integer.MAX_VALUE;
        private final List<Row> rows = new ArrayList<>();

        private Builder(String title) {
            this.title = title == null ? "" : title;
        }

        /** Column headers; every row has one cell per header. */
        public Builder columns(List<String> headers) {
            if (headers == null || headers.isEmpty()) {
                throw new IllegalArgumentException("columns: at least one column header is required");
            }
            if (!rows.isEmpty()) {
                throw new IllegalStateException("columns: must be set before the first row");
            }
            this.headers = List.copyOf(headers);
            return this;
        }

        /** Integer enlargement of every image (nearest neighbour); 1 = original size. */
        public Builder scale(int scale) {
            if (scale < 1 || scale > 16) {
                throw new IllegalArgumentException("scale: must be in 1..16, got " + scale);
            }
            this.scale = scale;
            return this;
        }

        /** At most this many rows per block; further rows start a new block to the right. */
        public Builder rowsPerColumnBlock(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("rowsPerColumnBlock: must be >= 1, got " + rows);
            }
            this.rowsPerBlock = rows;
            return this;
        }

        /** A row without captions. */
        public Builder row(String label, List<INDArray> images) {
            return row(label, images, null);
        }

        /**
         * A row of images, one per column; a null image leaves its cell empty.
         *
         * @param images   [c, h, w] or [1, c, h, w] tensors, c = 1 or 3, pixels in [0, 1]
         * @param captions one caption per column (null entries allowed), or null for none
         */
        public Builder row(String label, List<INDArray> images, List<String> captions) {
            if (headers == null) {
                throw new IllegalStateException("row: set columns(...) before adding rows");
            }
            Objects.requireNonNull(images, "images");
            if (images.size() != headers.size()) {
                throw new IllegalArgumentException("row '" + label + "': " + images.size()
                        + " images for " + headers.size() + " columns");
            }
            if (captions != null && captions.size() != headers.size()) {
                throw new IllegalArgumentException("row '" + label + "': " + captions.size()
                        + " captions for " + headers.size() + " columns");
            }
            List<BufferedImage> converted = new ArrayList<>();
            for (INDArray im : images) {
                converted.add(im == null ? null : Images.upscale(toRgb(Images.toImage(im)), scale));
            }
            List<String> caps = captions == null ? Collections.nCopies(headers.size(), (String) null)
                    : Collections.unmodifiableList(new ArrayList<>(captions));
            rows.add(new Row(label == null ? "" : label, Collections.unmodifiableList(converted), caps));
            return this;
        }

        /** Draws the gallery. */
        public BufferedImage build() {
            if (headers == null) {
                throw new IllegalStateException("build: no columns set");
            }
            int cellW = 0;
            int cellH = 0;
            boolean anyCaption = false;
            for (Row r : rows) {
                for (BufferedImage im : r.images) {
                    if (im != null) {
                        cellW = Math.max(cellW, im.getWidth());
                        cellH = Math.max(cellH, im.getHeight());
                    }
                }
                anyCaption |= r.captions.stream().anyMatch(Objects::nonNull);
            }

            // Measure text on a scratch image: font metrics need a Graphics2D.
            Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            setHints(probe);
            FontMetrics text = probe.getFontMetrics(TEXT_FONT);
            FontMetrics titleFm = probe.getFontMetrics(TITLE_FONT);
            int colW = cellW;
            for (String h : headers) {
                colW = Math.max(colW, text.stringWidth(h));
            }
            for (Row r : rows) {
                for (String c : r.captions) {
                    if (c != null) {
                        colW = Math.max(colW, text.stringWidth(c));
                    }
                }
            }
            int labelW = 0;
            for (Row r : rows) {
                labelW = Math.max(labelW, text.stringWidth(r.label));
            }
            probe.dispose();

            int lineH = text.getHeight();
            int captionH = anyCaption ? lineH + 2 : 0;
            int rowH = cellH + captionH + PAD;
            int headerH = lineH + PAD;
            int titleH = title.isEmpty() ? 0 : titleFm.getHeight() + PAD;
            int blockW = labelW + PAD + headers.size() * (colW + PAD);
            int nBlocks = rows.isEmpty() ? 1 : (int) ((rows.size() + (long) rowsPerBlock - 1) / rowsPerBlock);
            int rowsInTallest = Math.min(rows.size(), rowsPerBlock);
            int width = PAD + nBlocks * blockW + (nBlocks - 1) * BLOCK_GAP + PAD;
            width = Math.max(width, PAD * 2 + titleFm.stringWidth(title));
            int height = PAD + titleH + headerH + rowsInTallest * rowH + PAD;

            BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            try {
                setHints(g);
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, width, height);
                g.setColor(Color.BLACK);
                if (!title.isEmpty()) {
                    g.setFont(TITLE_FONT);
                    g.drawString(title, PAD, PAD + titleFm.getAscent());
                }
                g.setFont(TEXT_FONT);
                int top = PAD + titleH;
                for (int b = 0; b < nBlocks; b++) {
                    int left = PAD + b * (blockW + BLOCK_GAP);
                    int colLeft = left + labelW + PAD;
                    for (int c = 0; c < headers.size(); c++) {
                        int x = colLeft + c * (colW + PAD);
                        centered(g, text, headers.get(c), x, colW, top + text.getAscent());
                    }
                    int first = b * rowsPerBlock;
                    int last = Math.min(rows.size(), first + rowsPerBlock);
                    for (int i = first; i < last; i++) {
                        Row r = rows.get(i);
                        int y = top + headerH + (i - first) * rowH;
                        g.drawString(r.label, left, y + cellH / 2 + text.getAscent() / 2);
                        for (int c = 0; c < headers.size(); c++) {
                            int x = colLeft + c * (colW + PAD);
                            BufferedImage im = r.images.get(c);
                            if (im != null) {
                                // Copy the pixels rather than drawImage: exact values, no colour management.
                                out.getRaster().setRect(x + (colW - im.getWidth()) / 2,
                                        y + (cellH - im.getHeight()) / 2, im.getRaster());
                            }
                            String cap = r.captions.get(c);
                            if (cap != null) {
                                centered(g, text, cap, x, colW, y + cellH + 1 + text.getAscent());
                            }
                        }
                    }
                }
            } finally {
                g.dispose();
            }
            return out;
        }

        /**
         * Writes the gallery as PNG pages of at most {@code rowsPerPage} rows each, so that hundreds
         * of identities do not make one enormous image: {@code png} itself holds the first page
         * (so one page is exactly {@link #write}), page k >= 2 goes to {@code <name>-p<k>.png} beside
         * it, and every page's title ends with "(page k of n)" when there are several. Returns the
         * files written, in page order.
         */
        public List<Path> writePaged(Path png, int rowsPerPage) {
            if (rowsPerPage < 1) {
                throw new IllegalArgumentException("rowsPerPage: must be >= 1, got " + rowsPerPage);
            }
            int pages = Math.max(1, (rows.size() + rowsPerPage - 1) / rowsPerPage);
            if (pages == 1) {
                write(png);
                return List.of(png);
            }
            String name = png.getFileName().toString();
            String stem = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
            List<Path> out = new ArrayList<>();
            for (int k = 1; k <= pages; k++) {
                Builder page = new Builder(title + " (page " + k + " of " + pages + ")");
                page.headers = headers;
                page.scale = scale;
                page.rowsPerBlock = rowsPerBlock;
                page.rows.addAll(rows.subList((k - 1) * rowsPerPage, Math.min(rows.size(), k * rowsPerPage)));
                Path file = k == 1 ? png : png.resolveSibling(stem + "-p" + k + ".png");
                page.write(file);
                out.add(file);
            }
            return out;
        }

        /** Draws the gallery and writes it as a PNG, atomically. */
        public void write(Path png) {
            BufferedImage img = build();
            AtomicFiles.writeVia(png, tmp -> {
                if (!ImageIO.write(img, "png", tmp.toFile())) {
                    throw new IOException("no PNG writer available");
                }
            });
        }
    }

    private static void setHints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    private static void centered(Graphics2D g, FontMetrics fm, String s, int x, int width, int baseline) {
        g.drawString(s, x + (width - fm.stringWidth(s)) / 2, baseline);
    }

    /** Same pixels in an INT_RGB image (gray replicated), so a raster copy into the canvas is exact. */
    private static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Raster r = img.getRaster();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int v = r.getSample(x, y, 0);
                rgb.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return rgb;
    }
}
