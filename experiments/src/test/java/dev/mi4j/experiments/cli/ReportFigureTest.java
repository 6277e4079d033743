package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.image.Images;
import dev.mi4j.core.io.Json;
import dev.mi4j.experiments.report.Chromium;
import dev.mi4j.experiments.report.HtmlReport;
import dev.mi4j.experiments.report.InversionFiles;
import dev.mi4j.experiments.report.RunData;
import dev.mi4j.experiments.sweep.Csv;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.w3c.dom.Document;

/**
 * A real 4-trial sweep (softmax on AT&T, 3 identities, MI-Face alpha 20/40 x init zeros/uniform;
 * the same models as SweepCommandTest, so they are trained once per build): what each trial folder
 * holds for galleries, the report in headless Chromium, and {@code mi4j figure} in its three formats.
 */
class ReportFigureTest {

    @TempDir
    static Path tmp;
    static Path run;
    static List<String> ids;

    @BeforeAll
    static void sweep() throws Exception {
        Path c = SweepCommandTest.miniConfig(tmp);
        run = tmp.resolve("mini run");
        CliRun r = CliRun.of("sweep", c.toString(), "--out", run.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        List<List<String>> rows = Csv.parse(Files.readString(run.resolve("results.csv")));
        ids = new ArrayList<>();
        rows.subList(1, rows.size()).forEach(row -> ids.add(row.get(0)));
        assertEquals(4, ids.size());
    }

    @Test
    void everyTrialFolderHoldsTheGalleryImagesAndTheStretchedOneIsTheRawStretched() throws Exception {
        for (String id : ids) {
            List<InversionFiles.Identity> list = InversionFiles.identities(run, id);
            assertEquals(3, list.size());
            JsonNode metrics = Json.mapper().readTree(run.resolve(id).resolve("metrics.json").toFile());
            for (int i = 0; i < 3; i++) {
                InversionFiles.Identity g = list.get(i);
                JsonNode t = metrics.get("targets").get(i);
                assertEquals(t.get("identity").asText(), g.name());
                assertEquals(t.get("bestPLabel").asDouble(), g.p());
                assertEquals(t.at("/metrics/ssimNearest").asDouble(), g.ssim());
                assertEquals(t.get("evalTop1Identity").asText(), g.top1());
                INDArray raw = read(run.resolve(g.reconstruction()));
                INDArray stretched = read(run.resolve(g.stretched()));
                // The stretched PNG is the raw image rescaled to the full range. Both PNGs are 8-bit and the
                // stretch was made from the unrounded image: rounding raw pixels, its min and max by half a
                // level each moves a stretched pixel by at most 2 / (255 R) (R: the raw PNG's range), plus
                // half a level for rounding the stretched PNG.
                double range = raw.maxNumber().doubleValue() - raw.minNumber().doubleValue();
                INDArray expected = Images.contrastStretch(raw);
                double tolerance = range >= 1.0 / 255 ? 2.0 / (255 * range) + 0.5 / 255 + 1e-6 : 1e-6;
                assertTrue(expected.sub(stretched).amaxNumber().doubleValue() <= tolerance, g + " range " + range);
                if (raw.maxNumber().doubleValue() - raw.minNumber().doubleValue() >= 1.0 / 255) {
                    assertEquals(0.0, stretched.minNumber().doubleValue(), 1e-6);
                    assertEquals(1.0, stretched.maxNumber().doubleValue(), 1e-6);
                }
                BufferedImage train = ImageIO.read(run.resolve(g.training()).toFile());
                BufferedImage mean = ImageIO.read(run.resolve(g.mean()).toFile());
                BufferedImage rec = ImageIO.read(run.resolve(g.reconstruction()).toFile());
                assertEquals(rec.getWidth(), train.getWidth());
                assertEquals(rec.getHeight(), mean.getHeight());
            }
        }
        // 40 steps from a zero start: the raw reconstruction is dark, the stretched one is not.
        InversionFiles.Identity g = InversionFiles.identities(run, zerosTrial()).get(0);
        double rawMean = read(run.resolve(g.reconstruction())).meanNumber().doubleValue();
        double strMean = read(run.resolve(g.stretched())).meanNumber().doubleValue();
        assertTrue(strMean > rawMean + 0.1, "raw " + rawMean + ", stretched " + strMean);
    }

    private static String zerosTrial() throws Exception {
        RunData d = RunData.load(run);
        return d.entries().stream().filter(e -> "zeros".equals(e.params().get("init"))).findFirst().orElseThrow().id();
    }

    private static INDArray read(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        return Images.fromImage(img, img.getRaster().getNumBands() == 1);
    }

    @Test
    void theReportWorksInTheBrowserWithRealGalleries() throws Exception {
        Chromium.assertInstalled();
        Path report = HtmlReport.write(run);
        String url = report.toUri().toString();
        Path png = Chromium.screenshot(tmp, url, tmp.resolve("real.png"), 1400, 2600);
        Files.createDirectories(Path.of("target", "report-check"));
        Files.copy(png, Path.of("target", "report-check", "real-sweep.png"), StandardCopyOption.REPLACE_EXISTING);
        JsonNode st = Chromium.selfTest(Chromium.dumpDom(tmp, url + "#selftest"));
        // cost curves, parallel coordinates, metric vs alpha, metric vs init
        assertEquals(4, st.get("charts").size(), st.toString());
        JsonNode cmp = st.get("compare");
        assertEquals(2, cmp.get("columns").asInt());
        assertEquals(3, cmp.get("rows").asInt(), "3 identities");
        // per identity: the training image, and each trial's raw and stretched reconstruction
        assertEquals(3 * (1 + 2 * 2), cmp.get("images").asInt(), cmp.toString());
        assertEquals(cmp.get("images").asInt(), cmp.get("loaded").asInt());
        assertEquals(2, st.get("filter").get("shown").asInt(), "alpha=20: 2 of 4 trials");
    }

    @Test
    void figureInPngSvgAndPdf() throws Exception {
        List<InversionFiles.Identity> list = InversionFiles.identities(run, ids.get(0));
        String rows = list.get(0).name() + "," + list.get(2).name();
        String trials = ids.get(0) + "," + ids.get(3).substring(0, 6);   // a unique prefix works too

        Path png = tmp.resolve("fig.png");
        CliRun r = CliRun.of("figure", run.toString(), "--trials", trials, "--identities", rows, "--width-mm", "85",
                "--dpi", "300", "--out", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(Math.ceil(85 / 25.4 * 72 * 300 / 72), img.getWidth(), 1.0, "85 mm at 300 dpi");

        Path svg = tmp.resolve("fig.svg");
        r = CliRun.of("figure", run.toString(), "--trials", trials, "--identities", rows, "--labels", "MI-Face A,MI-Face B",
                "--out", svg.toString());
        assertEquals(0, r.exitCode(), r.err());
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);   // and so nothing fetched
        Document doc = xml.newDocumentBuilder().parse(svg.toFile());
        // 2 rows x (private image + 2 trials x raw and stretched)
        assertEquals(2 * 5, doc.getElementsByTagName("image").getLength());
        String text = doc.getDocumentElement().getTextContent();
        for (String s : List.of(list.get(0).name(), list.get(2).name(), "MI-Face A", "MI-Face B", "contrast-stretched", "private image")) {
            assertTrue(text.contains(s), s + " in the SVG's text");
        }
        String width = doc.getDocumentElement().getAttribute("width");
        assertTrue(width.endsWith("pt"), width);
        assertEquals(170 / 25.4 * 72, Double.parseDouble(width.substring(0, width.length() - 2)), 0.01, "default width 170 mm");

        Path pdf = tmp.resolve("fig.pdf");
        r = CliRun.of("figure", run.toString(), "--trials", trials, "--identities", rows, "--show", "stretched",
                "--width-mm", "120", "--out", pdf.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
            assertEquals(1, d.getNumberOfPages());
            assertEquals(120 / 25.4 * 72, d.getPage(0).getMediaBox().getWidth(), 0.01);
            String pdfText = new PDFTextStripper().getText(d);
            assertTrue(pdfText.contains(list.get(0).name()) && pdfText.contains("contrast-stretched"), pdfText);
        }
    }

    @Test
    void figureRefusesUnknownTrialsIdentitiesAndFormats() {
        CliRun r = CliRun.of("figure", run.toString(), "--trials", "nosuchtrial", "--out", tmp.resolve("x.png").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.errorLines().contains("--trials: 'nosuchtrial' names no trial"), r.err());
        r = CliRun.of("figure", run.toString(), "--trials", ids.get(0), "--identities", "nobody", "--out", tmp.resolve("x.png").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.errorLines().contains("--identities: 'nobody' is in none of the chosen trials"), r.err());
        r = CliRun.of("figure", run.toString(), "--trials", ids.get(0), "--out", tmp.resolve("x.gif").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.errorLines().contains("must end in .png, .svg or .pdf"), r.err());
        assertTrue(!Files.exists(tmp.resolve("x.png")) && !Files.exists(tmp.resolve("x.gif")), "nothing written");
    }
}
