package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.Images;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.datasets.Datasets;
import dev.mi4j.datasets.ImageFolderDataset;
import dev.mi4j.datasets.LoadOptions;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.core.io.Sha256;
import dev.mi4j.experiments.audit.Risk;
import dev.mi4j.experiments.audit.RiskRule;
import dev.mi4j.experiments.config.SplitSpec;
import dev.mi4j.experiments.pipeline.TargetProvider;
import dev.mi4j.experiments.report.Chromium;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * mi4j audit end to end on a small real model: a softmax target trained on the first 5 AT&T
 * identities at 32x32 (an image folder, as a user would give one), audited with --quick. The
 * verdict's fields, risk levels that follow the documented rule from the recorded metrics, query
 * budgets honoured and recorded, the model file untouched, --fail-on's exit code, the report
 * rendered in headless Chromium, and the refusals (other input shape, other identities, an
 * import format) that write nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditCommandTest {

    private static final int IDENTITIES = 5;
    private static final long BUDGET = 2000;

    @TempDir
    static Path tmp;

    static Path faces;
    static Path model;
    static Path audit;

    /** The first 5 AT&T identities as 32x32 PNGs in one folder per identity, and a softmax trained on them. */
    @BeforeAll
    static void smallModel() throws Exception {
        LabeledImages att = Datasets.load("att-faces", Optional.empty(), new LoadOptions(true, 32, 32)).images();
        faces = tmp.resolve("faces");
        for (int id = 0; id < IDENTITIES; id++) {
            int[] idx = att.indicesOf(id);
            for (int i = 0; i < idx.length; i++) {
                Images.writePng(att.images().get(NDArrayIndex.point(idx[i])),
                        faces.resolve(att.classNames().get(id)).resolve(i + ".png"));
            }
        }
        LoadedDataset data = ImageFolderDataset.load(faces, true);
        SplitSpec split = SplitSpec.UNSET.withDefaultsOf(data.resolved().spec());
        TargetModel m = new TargetProvider(CliRun.TEST_MODELS, true).train(Architecture.SOFTMAX,
                TrainingConfig.defaultsFor(Architecture.SOFTMAX).withEpochs(40), null, data, split, split.apply(data.images()));
        model = tmp.resolve("faces-softmax.zip");
        ModelStore.save(m, model);
        audit = tmp.resolve("audit");
    }

    @Order(1)
    @Test
    void quickAuditWritesAVerdictThatFollowsTheRule() throws Exception {
        String before = Sha256.of(model);
        CliRun r = CliRun.of("audit", "--model", model.toString(), "--dataset", faces.toString(), "--quick",
                "--query-budget", String.valueOf(BUDGET), "--fail-on", "low", "--out", audit.toString(), "--quiet");
        assertEquals(Main.EXIT_RISK, r.exitCode(), "every verdict is at least LOW: --fail-on low exits 3\n" + r.err());
        assertTrue(r.err().contains("reaches --fail-on low"), r.err());
        assertTrue(r.out().startsWith("verdict: "), r.out());
        assertEquals(before, Sha256.of(model), "the audited model file is never changed");

        JsonNode v = Json.mapper().readTree(audit.resolve("verdict.json").toFile());
        JsonNode rule = v.get("thresholds");
        RiskRule rr = new RiskRule(rule.get("highSsim").asDouble(), rule.get("overallHigh").asDouble(),
                rule.get("overallMedium").asDouble());
        assertEquals(RiskRule.DEFAULTS, rr, "the shipped configs/audit.yaml holds the documented defaults");
        assertEquals(1.0 / IDENTITIES / 5, rule.get("chanceHigh").asDouble(), 1e-12);

        // --quick: 4 identities, each judged by the documented rule from its recorded metrics.
        JsonNode ids = v.get("perIdentity");
        assertEquals(4, ids.size());
        List<Risk> levels = new ArrayList<>();
        for (JsonNode id : ids) {
            JsonNode m = id.get("metrics");
            boolean top1 = m.get("evalTop1Correct").asBoolean();
            boolean lineup = m.get("lineupCorrect").asBoolean();
            // 5 identities: top-5 always holds and does not count.
            Risk expected = top1 && lineup ? Risk.HIGH : top1 || lineup ? Risk.MEDIUM : Risk.LOW;
            assertEquals(expected.name(), id.get("risk").asText(), id.toString());
            levels.add(expected);
            assertEquals(v.get("decidedBy").asText(), id.get("attack").asText());
            assertTrue(Files.isRegularFile(audit.resolve(id.get("reconstruction").asText())), id.toString());
            assertTrue(Files.isRegularFile(audit.resolve("private").resolve(id.get("identity").asText() + ".png")));
        }
        assertEquals(rr.overall(levels).name(), v.get("verdict").asText());
        assertEquals(levels.stream().filter(l -> l == Risk.HIGH).count(), v.at("/identities/high").asLong());

        // Every run: its parameters, queries and budget; black-box runs stay within the budget.
        List<String> kinds = new ArrayList<>();
        for (JsonNode a : v.get("attacks")) {
            kinds.add(a.get("kind").asText());
            assertTrue(a.get("params").has("alpha"), a.toString());
            assertTrue(a.get("params").get("alpha").asInt() <= 30, "--quick caps iterations: " + a);
            assertTrue(a.get("modelQueries").asLong() > 0, a.toString());
            if (a.get("kind").asText().equals("white-box")) {
                assertTrue(a.get("queryBudget").isNull(), a.toString());
            } else {
                assertEquals(BUDGET, a.get("queryBudget").asLong(), a.toString());
                assertTrue(a.get("modelQueries").asLong() <= BUDGET, a.toString());
            }
            assertTrue(Files.isRegularFile(audit.resolve(a.get("folder").asText()).resolve("metrics.json")), a.toString());
        }
        assertEquals(3, kinds.stream().filter("white-box"::equals).count(), kinds.toString());
        assertEquals(1, kinds.stream().filter("black-box"::equals).count(), kinds.toString());
        assertEquals(6, kinds.stream().filter("countermeasure"::equals).count(), kinds.toString());
        List<String> policies = new ArrayList<>();
        v.at("/countermeasures/rows").forEach(c -> policies.add(c.get("policy").asText()));
        assertEquals(List.of("identity", "round:0.001", "round:0.01", "round:0.1", "topk:1", "label"), policies);
        assertEquals("GMI", v.at("/skipped/0/attack").asText(), "no --public: GMI is skipped and says why");

        // Provenance of everything.
        assertEquals(before, v.at("/model/sha256").asText());
        assertEquals("softmax", v.at("/model/provenance/architecture").asText());
        assertEquals(64, v.at("/dataset/manifestSha256").asText().length());
        assertEquals("eval", v.at("/evaluator/architecture").asText());
        assertTrue(v.at("/config/file").asText().endsWith("audit.yaml"));
        assertTrue(v.at("/config/quick").asBoolean());

        String html = Files.readString(audit.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("data-risk=\"" + v.get("verdict").asText() + "\""), "the verdict heads the report");
        for (JsonNode id : ids) {
            assertTrue(html.contains("<tr data-identity=\"" + id.get("identity").asText() + "\" data-risk=\""
                    + id.get("risk").asText() + "\">"), id.toString());
        }
        assertTrue(html.contains("<tr data-policy=\"label\">"));
        assertTrue(ImageIO.read(audit.resolve("gallery.png").toFile()).getHeight() > 4 * 32);
    }

    @Order(2)
    @Test
    void theReportRendersInHeadlessChromium() throws Exception {
        Chromium.assertInstalled();
        Path report = audit.resolve("report.html");
        assertTrue(Files.isRegularFile(report), "written by the audit above");
        Path png = Chromium.screenshot(tmp.resolve("chromium"), report.toUri().toString(), tmp.resolve("audit-screenshot.png"),
                1400, 2400);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertNotNull(shot, "screenshot written");
        assertEquals(1400, shot.getWidth());
        String html = Chromium.dumpDom(tmp.resolve("chromium"), report.toUri().toString());
        assertTrue(html.contains("id=\"identities\"") && html.contains("id=\"countermeasures\""), "tables in the DOM");
        // The images the report links are there (the browser renders a broken image silently).
        java.util.regex.Matcher img = java.util.regex.Pattern.compile("<img[^>]* src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (img.find()) {
            Path file = audit.resolve(java.net.URLDecoder.decode(img.group(1), StandardCharsets.UTF_8));
            assertTrue(Files.isRegularFile(file), "linked image " + img.group(1));
            images++;
        }
        assertEquals(2 * 4 + 1, images, "a private image and a reconstruction per identity, and the gallery");
        Path keep = Path.of("target", "report-check");
        Files.createDirectories(keep);
        Files.copy(png, keep.resolve("audit-screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Order(3)
    @Test
    void failOnHighExitsThreeOnlyForAHighVerdict() throws Exception {
        String verdict = Json.mapper().readTree(audit.resolve("verdict.json").toFile()).get("verdict").asText();
        Path out = tmp.resolve("audit-again");
        CliRun r = CliRun.of("audit", "--model", model.toString(), "--dataset", faces.toString(), "--quick",
                "--query-budget", String.valueOf(BUDGET), "--fail-on", "high", "--out", out.toString(), "--quiet");
        assertEquals(verdict, Json.mapper().readTree(out.resolve("verdict.json").toFile()).get("verdict").asText(),
                "same model, config and seeds: same verdict");
        assertEquals(verdict.equals("HIGH") ? Main.EXIT_RISK : 0, r.exitCode(), r.err());
    }

    @Order(4)
    @Test
    void refusesWhatItCannotAuditInOneLineWritingNothing() throws Exception {
        // Input shape: the 32x32 model against the 92x112 AT&T images.
        Path out = tmp.resolve("refused");
        CliRun r = CliRun.of("audit", "--model", model.toString(), "--dataset", "att-faces", "--out", out.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        assertEquals(1, r.errorLines().lines().count(), r.err());
        assertTrue(r.errorLines().contains(model.toString()) && r.errorLines().contains("1x32x32")
                && r.errorLines().contains("1x112x92"), r.errorLines());
        assertFalse(Files.exists(out), "nothing written");

        // Identities: a folder of 4 of the model's 5 people.
        Path four = tmp.resolve("four");
        for (int id = 1; id <= 4; id++) {
            copyFolder(faces.resolve("s" + id), four.resolve("s" + id));
        }
        r = CliRun.of("audit", "--model", model.toString(), "--dataset", four.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        assertTrue(r.errorLines().contains("5 outputs") && r.errorLines().contains("4 identities"), r.errorLines());
        assertFalse(Files.exists(out), "nothing written");

        // A file that is no model, and a bad --fail-on.
        Path onnx = tmp.resolve("model.onnx");
        Files.write(onnx, new byte[] {8, 7});
        r = CliRun.of("audit", "--model", onnx.toString(), "--dataset", faces.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        assertEquals(1, r.errorLines().lines().count(), r.err());
        assertTrue(r.errorLines().contains("model.onnx"), r.errorLines());
        r = CliRun.of("audit", "--model", model.toString(), "--dataset", faces.toString(), "--fail-on", "severe",
                "--out", out.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        assertTrue(r.errorLines().contains("--fail-on"), r.errorLines());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Order(5)
    @Test
    void publicFacesAddGmi() throws Exception {
        Path out = tmp.resolve("audit-gmi");
        CliRun r = CliRun.of("audit", "--model", model.toString(), "--dataset", faces.toString(), "--public", "yale", "--quick",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode v = Json.mapper().readTree(out.resolve("verdict.json").toFile());
        List<String> attacks = new ArrayList<>();
        v.get("attacks").forEach(a -> attacks.add(a.get("attack").asText() + "/" + a.get("variant").asText()));
        assertTrue(attacks.contains("GMI/as configured"), attacks.toString());
        assertEquals(0, v.get("skipped").size(), "nothing skipped with public faces: " + v.get("skipped"));
        assertEquals("yale", v.at("/publicFaces/name").asText());
        assertEquals(164, v.at("/publicFaces/images").asInt());
        assertEquals("yale", v.at("/gan/datasetName").asText(), "the GAN saw the public faces only");
        assertTrue(v.at("/gan/images").asInt() > 0);
        assertTrue(Files.isRegularFile(out.resolve("gan-samples.png")));
    }

    private static void copyFolder(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path f : s.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
