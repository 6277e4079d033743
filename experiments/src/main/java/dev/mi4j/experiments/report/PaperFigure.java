package dev.mi4j.experiments.report;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawerDefaultFonts;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.Images;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.experiments.sweep.RunLayout;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUnits;

/**
 * A publication figure from a run folder: one row per identity, one column per method (a trial of
 * a sweep, a run of a study), optionally preceded by the identity's private training image and its
 * mean, each method's reconstruction raw, contrast-stretched or both, and a caption line (p_label,
 * the evaluator's top-1 guess) under each method. Laid out in points at a chosen width, drawn
 * once through Java2D and written as PNG (at a chosen DPI), SVG (JFreeSVG) or PDF (Apache PDFBox
 * with its Graphics2D bridge): text stays text in SVG and PDF, faces are embedded as lossless
 * images enlarged by an integer factor (nearest neighbour), so no viewer blurs their pixels.
 */
public final class PaperFigure {

    /** Which version of each reconstruction to show. */
    public enum Show { RAW, STRETCHED, BOTH }

    /**
     * What to draw.
     *
     * @param identities identity names, the rows in order
     * @param methods    trial ids, folders, labels or unique id prefixes, the column groups in order
     * @param labels     column headings, one per method, or empty for the entries' labels
     * @param widthMm    figure width in millimetres
     * @param dpi        resolution of a PNG (vector formats ignore it but for the image enlargement)
     * @param fontPt     text size in points
     */
    public record Options(List<String> identities, List<String> methods, List<String> labels, Show show, boolean training,
                          boolean mean, boolean captions, double widthMm, int dpi, double fontPt) {

        public Options {
            identities = List.copyOf(identities);
            methods = List.copyOf(methods);
            labels = List.copyOf(labels);
            if (!labels.isEmpty() && labels.size() != methods.size()) {
                throw new Mi4jException("--labels: " + labels.size() + " labels for " + methods.size() + " trials");
            }
            if (!(widthMm >= 20 && widthMm <= 1000)) {
                throw new Mi4jException("--width-mm: must be in 20..1000, got " + widthMm);
            }
            if (dpi < 36 || dpi > 2400) {
                throw new Mi4jException("--dpi: must be in 36..2400, got " + dpi);
            }
            if (!(fontPt >= 4 && fontPt <= 36)) {
                throw new Mi4jException("--font-pt: must be in 4..36, got " + fontPt);
            }
        }
    }

    /** At most this many rows: a figure with more is unreadable in print. */
    public static final int MAX_ROWS = 60;
    private static final double MM_PER_INCH = 25.4;

    private record Cell(BufferedImage image, String caption) {
    }

    private record Group(String header, List<String> subHeaders, List<List<Cell>> cellsByRow, List<String> captions) {
    }

    private final List<String> rows;
    private final List<Group> groups;
    private final Options o;
    private final double width;
    private final double height;
    private final double imgW;
    private final double imgH;
    private final Layout layout;

    private PaperFigure(List<String> rows, List<Group> groups, Options o, BufferedImage sample) {
        this.rows = rows;
        this.groups = groups;
        this.o = o;
        this.width = o.widthMm() / MM_PER_INCH * 72;
        this.layout = new Layout();
        int cols = groups.stream().mapToInt(g -> g.subHeaders().size()).sum();
        double avail = width - 2 * layout.margin - layout.labelW - cols * layout.gap;
        this.imgW = avail / cols;
        if (imgW < 8) {
            throw new Mi4jException("--width-mm: " + o.widthMm() + " mm leaves " + String.format(Locale.ROOT, "%.1f", imgW)
                    + " pt per image for " + cols + " columns; make the figure wider or show fewer trials");
        }
        this.imgH = imgW * sample.getHeight() / sample.getWidth();
        this.height = 2 * layout.margin + headerHeight() + rows.size() * rowHeight();
    }

    /** Reads the images of {@code opts} from the run folder and lays the figure out. */
    public static PaperFigure of(RunData data, Options opts) {
        List<RunData.Entry> entries = new ArrayList<>();
        for (String ref : opts.methods()) {
            entries.add(find(data, ref));
        }
        if (entries.isEmpty()) {
            throw new Mi4jException("--trials: give at least one trial (ids are in " + data.root().resolve(RunLayout.RESULTS) + ")");
        }
        List<Map<String, InversionFiles.Identity>> byEntry = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (RunData.Entry e : entries) {
            Map<String, InversionFiles.Identity> m = new LinkedHashMap<>();
            for (InversionFiles.Identity id : InversionFiles.identities(data.root(), e.folder())) {
                m.put(id.name(), id);
                if (!known.contains(id.name())) {
                    known.add(id.name());
                }
            }
            byEntry.add(m);
        }
        List<String> rows = opts.identities().isEmpty() ? known : opts.identities();
        if (rows.isEmpty()) {
            throw new Mi4jException("--trials: the chosen trials hold no reconstructions");
        }
        if (rows.size() > MAX_ROWS) {
            throw new Mi4jException("--identities: " + rows.size() + " rows would make an unreadable figure (at most " + MAX_ROWS
                    + "); choose some, e.g. --identities " + String.join(",", known.subList(0, Math.min(5, known.size()))));
        }
        for (String r : rows) {
            if (!known.contains(r)) {
                throw new Mi4jException("--identities: '" + r + "' is in none of the chosen trials (they have "
                        + String.join(", ", known.subList(0, Math.min(12, known.size()))) + (known.size() > 12 ? ", ..." : "") + ")");
            }
        }
        Path root = data.root();
        List<Group> groups = new ArrayList<>();
        BufferedImage sample = null;
        if (opts.training() || opts.mean()) {
            List<String> subs = new ArrayList<>();
            if (opts.training()) {
                subs.add("private image");
            }
            if (opts.mean()) {
                subs.add("identity mean");
            }
            List<List<Cell>> cells = new ArrayList<>();
            for (String r : rows) {
                InversionFiles.Identity any = byEntry.stream().map(m -> m.get(r)).filter(x -> x != null).findFirst().orElseThrow();
                List<Cell> row = new ArrayList<>();
                if (opts.training()) {
                    row.add(new Cell(read(root, any.training()), null));
                }
                if (opts.mean()) {
                    row.add(new Cell(read(root, any.mean()), null));
                }
                cells.add(row);
            }
            groups.add(new Group("", subs, cells, null));
        }
        for (int k = 0; k < entries.size(); k++) {
            RunData.Entry e = entries.get(k);
            List<String> subs = switch (opts.show()) {
                case RAW -> List.of("");
                case STRETCHED -> List.of("contrast-stretched");
                case BOTH -> List.of("raw", "contrast-stretched");
            };
            List<List<Cell>> cells = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (String r : rows) {
                InversionFiles.Identity id = byEntry.get(k).get(r);
                List<Cell> row = new ArrayList<>();
                if (opts.show() != Show.STRETCHED) {
                    row.add(new Cell(id == null ? null : read(root, id.reconstruction()), null));
                }
                if (opts.show() != Show.RAW) {
                    row.add(new Cell(id == null ? null : read(root, id.stretched()), null));
                }
                cells.add(row);
                captions.add(id == null ? "n/a" : caption(id));
            }
            groups.add(new Group(opts.labels().isEmpty() ? e.label() : opts.labels().get(k), subs, cells,
                    opts.captions() ? captions : null));
        }
        for (Group g : groups) {
            for (List<Cell> row : g.cellsByRow()) {
                for (Cell c : row) {
                    if (sample == null && c.image() != null) {
                        sample = c.image();
                    }
                }
            }
        }
        if (sample == null) {
            throw new Mi4jException("--trials: no image files found for the chosen identities");
        }
        return new PaperFigure(rows, groups, opts, sample);
    }

    /** "p=0.990, top-1 s3" from what the run recorded; "" when it recorded neither. */
    static String caption(InversionFiles.Identity id) {
        List<String> parts = new ArrayList<>();
        if (id.p() != null) {
            parts.add("p=" + TextTable.significant(id.p()));
        }
        if (id.top1() != null) {
            parts.add("top-1 " + id.top1());
        }
        return String.join(", ", parts);
    }

    private static RunData.Entry find(RunData data, String ref) {
        List<RunData.Entry> hits = new ArrayList<>();
        for (RunData.Entry e : data.entries()) {
            if (e.id().equals(ref) || e.folder().equals(ref) || e.label().equals(ref)) {
                return e;
            }
            if (ref.length() >= 4 && e.id().startsWith(ref)) {
                hits.add(e);
            }
        }
        if (hits.size() == 1) {
            return hits.get(0);
        }
        List<String> ids = data.entries().stream().filter(e -> !e.failed()).map(RunData.Entry::id).toList();
        throw new Mi4jException("--trials: '" + ref + "' " + (hits.isEmpty() ? "names no" : "matches " + hits.size())
                + " trial of " + data.root() + " (" + (ids.isEmpty() ? "it has none" : "ids: "
                + String.join(", ", ids.subList(0, Math.min(12, ids.size()))) + (ids.size() > 12 ? ", ..." : "")) + ")");
    }

    private static BufferedImage read(Path root, String rel) {
        if (rel == null) {
            return null;
        }
        Path f = root.resolve(rel);
        try {
            BufferedImage img = ImageIO.read(f.toFile());
            if (img == null) {
                throw new Mi4jException(f + ": not an image");
            }
            return img;
        } catch (IOException e) {
            throw new Mi4jException(f + ": unreadable (" + e.getMessage() + ")", e);
        }
    }

    /** Figure size in points (1/72 inch). */
    public double widthPt() {
        return width;
    }

    public double heightPt() {
        return height;
    }

    /** Writes the figure as PNG, SVG or PDF by the file's extension, atomically. */
    public void write(Path out) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            BufferedImage img = toImage();
            AtomicFiles.writeVia(out, tmp -> {
                if (!ImageIO.write(img, "png", tmp.toFile())) {
                    throw new IOException("no PNG writer available");
                }
            });
        } else if (name.endsWith(".svg")) {
            SVGGraphics2D g = new SVGGraphics2D(width, height, SVGUnits.PT);
            draw(g);
            g.dispose();
            // The element with an XML declaration and no DOCTYPE (SVG 2 has none): readers need not fetch a DTD.
            AtomicFiles.writeString(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement() + "\n");
        } else if (name.endsWith(".pdf")) {
            AtomicFiles.writeVia(out, tmp -> {
                try (PDDocument doc = new PDDocument()) {
                    PDRectangle box = new PDRectangle((float) width, (float) height);
                    PDPage page = new PDPage(box);
                    doc.addPage(page);
                    PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, box);
                    // The PDF standard fonts (Helvetica for SansSerif): text stays selectable text.
                    g.setFontTextDrawer(new PdfBoxGraphics2DFontTextDrawerDefaultFonts());
                    draw(g);
                    g.dispose();
                    try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                        cs.drawForm(g.getXFormObject());
                    }
                    try (java.io.OutputStream os = java.nio.file.Files.newOutputStream(tmp)) {
                        doc.save(os);   // (save(File) warns that the temporary file exists)
                    }
                }
            });
        } else {
            throw new Mi4jException("--out: " + out + " must end in .png, .svg or .pdf");
        }
    }

    /** The figure rasterised at the options' DPI. */
    public BufferedImage toImage() {
        double scale = o.dpi() / 72.0;
        int w = (int) Math.ceil(width * scale);
        int h = (int) Math.ceil(height * scale);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);   // the whole raster: the last pixel row may lie beyond the figure's height
            g.scale(scale, scale);
            draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Sizes in points, from the font size. */
    private final class Layout {
        final double margin = Math.max(2, o.fontPt() * 0.5);
        final double gap = Math.max(1.5, o.fontPt() * 0.3);
        final Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 10).deriveFont((float) o.fontPt());
        final Font bold = font.deriveFont(Font.BOLD);
        final FontMetrics fm;
        final FontMetrics fmBold;
        final double labelW;

        Layout() {
            Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            probe.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            fm = probe.getFontMetrics(font);
            fmBold = probe.getFontMetrics(bold);
            probe.dispose();
            double w = 0;
            for (String r : rows) {
                w = Math.max(w, fm.stringWidth(r));
            }
            labelW = w + gap;
        }
    }

    private double line() {
        return layout.fm.getHeight();
    }

    private double groupWidth(Group g) {
        int n = g.subHeaders().size();
        return n * imgW + (n - 1) * layout.gap;
    }

    private List<List<String>> headerLines() {
        List<List<String>> out = new ArrayList<>();
        for (Group g : groups) {
            out.add(wrap(g.header(), groupWidth(g), layout.fmBold, 3));
        }
        return out;
    }

    private boolean anySubHeader() {
        return groups.stream().anyMatch(g -> g.subHeaders().stream().anyMatch(s -> !s.isEmpty()));
    }

    private double headerHeight() {
        int lines = 0;
        for (List<String> l : headerLines()) {
            lines = Math.max(lines, l.size());
        }
        return (lines + (anySubHeader() ? 1 : 0)) * line() + layout.gap;
    }

    private double rowHeight() {
        boolean captions = groups.stream().anyMatch(g -> g.captions() != null);
        return imgH + (captions ? line() : 0) + layout.gap;
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setColor(Color.WHITE);
        g.fill(new java.awt.geom.Rectangle2D.Double(0, 0, width, height));
        g.setColor(Color.BLACK);
        double ascent = layout.fm.getAscent();
        List<List<String>> headers = headerLines();
        int headerLines = headers.stream().mapToInt(List::size).max().orElse(0);
        double x = layout.margin + layout.labelW + layout.gap;
        for (int k = 0; k < groups.size(); k++) {
            Group gr = groups.get(k);
            double gw = groupWidth(gr);
            g.setFont(layout.bold);
            List<String> lines = headers.get(k);
            for (int i = 0; i < lines.size(); i++) {
                // bottom-aligned, so one-line headings sit just above the images
                double y = layout.margin + (headerLines - lines.size() + i) * line() + ascent;
                centered(g, layout.fmBold, lines.get(i), x, gw, y);
            }
            g.setFont(layout.font);
            double sx = x;
            for (String s : gr.subHeaders()) {
                centered(g, layout.fm, s, sx, imgW, layout.margin + headerLines * line() + ascent);
                sx += imgW + layout.gap;
            }
            if (k > 0 && groups.size() > 1) {
                g.setColor(new Color(0.75f, 0.75f, 0.75f));
                g.setStroke(new BasicStroke(0.4f));
                double lx = x - layout.gap / 2;
                g.draw(new java.awt.geom.Line2D.Double(lx, layout.margin, lx, height - layout.margin));
                g.setColor(Color.BLACK);
            }
            x += gw + layout.gap;
        }
        double top = layout.margin + headerHeight();
        for (int r = 0; r < rows.size(); r++) {
            double y = top + r * rowHeight();
            g.setFont(layout.font);
            g.drawString(rows.get(r), (float) layout.margin, (float) (y + imgH / 2 + ascent / 2 - 1));
            double cx = layout.margin + layout.labelW + layout.gap;
            for (Group gr : groups) {
                double gx = cx;
                for (Cell c : gr.cellsByRow().get(r)) {
                    if (c.image() != null) {
                        drawImage(g, c.image(), gx, y);
                    } else {
                        centered(g, layout.fm, "n/a", gx, imgW, y + imgH / 2);
                    }
                    gx += imgW + layout.gap;
                }
                if (gr.captions() != null) {
                    String cap = fit(gr.captions().get(r), groupWidth(gr));
                    centered(g, layout.fm, cap, cx, groupWidth(gr), y + imgH + ascent);
                }
                cx += groupWidth(gr) + layout.gap;
            }
        }
    }

    /** Draws a face at the cell's size, enlarged first by an integer factor so no renderer smooths its pixels. */
    private void drawImage(Graphics2D g, BufferedImage img, double x, double y) {
        double targetPx = imgW / 72.0 * Math.max(o.dpi(), 150);
        int factor = (int) Math.max(1, Math.min(8, Math.ceil(targetPx / img.getWidth())));
        BufferedImage big = Images.upscale(img, factor);
        java.awt.geom.AffineTransform t = new java.awt.geom.AffineTransform();
        t.translate(x, y);
        t.scale(imgW / big.getWidth(), imgH / big.getHeight());
        g.drawImage(big, t, null);
    }

    private static void centered(Graphics2D g, FontMetrics fm, String s, double x, double w, double baseline) {
        g.drawString(s, (float) (x + (w - fm.stringWidth(s)) / 2), (float) baseline);
    }

    private String fit(String s, double w) {
        if (layout.fm.stringWidth(s) <= w) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && layout.fm.stringWidth(t + "...") > w) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "...";
    }

    /** Greedy word wrap at spaces and after commas; lines beyond {@code max} are dropped with "...". */
    static List<String> wrap(String text, double w, FontMetrics fm, int max) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        String cur = "";
        for (String word : text.split("(?<=,) |\\s+")) {
            String next = cur.isEmpty() ? word : cur + " " + word;
            if (fm.stringWidth(next) <= w || cur.isEmpty()) {
                cur = next;
            } else {
                out.add(cur);
                cur = word;
            }
        }
        out.add(cur);
        if (out.size() > max) {
            List<String> cut = new ArrayList<>(out.subList(0, max));
            cut.set(max - 1, cut.get(max - 1) + " ...");
            return cut;
        }
        return out;
    }

    /** Whether {@code out} names a format {@link #write} knows. */
    public static boolean knownFormat(Path out) {
        String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".svg") || n.endsWith(".pdf");
    }
}
