package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.GanStore;
import dev.mi4j.core.train.GanConfig;
import dev.mi4j.core.train.GanTrainer;
import dev.mi4j.datasets.DatasetResolver;
import dev.mi4j.datasets.PublicPrivateProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GMI outside {@code reproduce}: {@code mi4j invert --attack gmi --gan FILE --dataset private-faces}
 * and a sweep config whose attack is {@code gmi} (a {@code protocol:} section and {@code gan.model}),
 * with a tiny GAN trained once on a sample of the real public faces and a softmax target trained on
 * the real private identities; and the refusals around them.
 */
class GmiCommandsTest {

    @TempDir
    static Path dir;

    static Path ganZip;
    static Path targetZip;

    @BeforeAll
    static void ganAndTarget() {
        PublicPrivateProtocol.Faces faces = PublicPrivateProtocol.build(PublicPrivateProtocol.Spec.DEFAULT,
                DatasetResolver.fromEnvironment(), Map.of());
        LabeledImages pub = faces.publicSet();
        int[] every8th = IntStream.range(0, pub.size()).filter(i -> i % 8 == 0).toArray();
        GanConfig cfg = GanConfig.DEFAULTS.withEpochs(1).withWidth(4).withSampleEvery(0);
        Gan gan = GanTrainer.train(pub.subset(every8th, "public-sample").images(), cfg,
                new GanTrainer.DataDescription("public-faces-sample", faces.publicSha256() + "-every-8", "every 8th public face"),
                null, true);
        ganZip = dir.resolve("gan").resolve("public-faces-gan.zip");
        GanStore.save(gan, ganZip);

        CliRun r = CliRun.of("train", "--model", "softmax", "--dataset", "private-faces", "--epochs", "5",
                "--out", dir.resolve("target").toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        try (Stream<Path> files = Files.list(dir.resolve("target"))) {
            targetZip = files.filter(p -> p.toString().endsWith(".zip") && !p.toString().contains("autoencoder"))
                    .findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void invertRunsGmiWithASavedGan() throws Exception {
        Path out = dir.resolve("invert");
        CliRun r = CliRun.of("invert", "--model", targetZip.toString(), "--dataset", "private-faces", "--attack", "gmi",
                "--gan", ganZip.toString(), "-P", "iterations=6", "-P", "restarts=2", "--targets", "0,1",
                "--evaluator", "none", "--out", out.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode m = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        // 2 identities x 2 restarts: one query per row per step plus the final predict.
        assertEquals(2 * 2 * 6 + 2 * 2, m.get("modelQueries").asLong(), m.toString());
        try (Stream<Path> pngs = Files.walk(out)) {
            assertEquals(2, pngs.filter(p -> p.getFileName().toString().equals("reconstruction.png")).count());
        }
    }

    @Test
    void invertRefusesAMissingOrIdleOrMisfitGan() {
        Path out = dir.resolve("refused");
        CliRun none = CliRun.of("invert", "--model", targetZip.toString(), "--dataset", "private-faces", "--attack", "gmi",
                "--targets", "0", "--evaluator", "none", "--out", out.toString(), "--quiet");
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.errorLines().contains("needs the attacker's GAN prior: --gan FILE"), none.err());

        CliRun idle = CliRun.of("invert", "--model", targetZip.toString(), "--dataset", "private-faces", "--gan",
                ganZip.toString(), "--targets", "0", "--evaluator", "none", "--out", out.toString(), "--quiet");
        assertEquals(2, idle.exitCode(), idle.err());
        assertTrue(idle.errorLines().contains("--gan: attack mi-face does not use a GAN prior"), idle.err());

        CliRun misfit = CliRun.of("invert", "--model", "softmax", "--dataset", "att-faces", "--attack", "gmi", "--gan",
                ganZip.toString(), "--targets", "0", "--evaluator", "none", "--out", out.toString(), "--quiet");
        assertEquals(2, misfit.exitCode(), misfit.err());
        assertTrue(misfit.errorLines().contains("generates 1x32x32 images, but dataset att-faces gives"), misfit.err());
        assertTrue(misfit.errorLines().contains("--dataset private-faces"), misfit.err());
        assertFalse(Files.exists(out), "a refused run writes nothing");
    }

    @Test
    void aSweepVariesGmiParameters() throws Exception {
        Path config = dir.resolve("gmi-sweep.yaml");
        Path run = dir.resolve("sweep");
        Files.writeString(config, String.join("\n", List.of(
                "name: gmi-sweep",
                "protocol: {private: att-faces, seed: 42, public: [lfw-min70, yale], size: 32}",
                "gan: {model: " + ganZip + "}",
                "targets:",
                "  - {model: " + targetZip + "}",
                "evaluator: {architecture: eval, seed: 7, epochs: 2}",
                "attack: {name: gmi, iterations: 4, restarts: 1, targets: '0,1'}",
                "sweep:",
                "  strategy: grid",
                "  parameters:",
                "    lambda: [10, 100]",
                "output: " + run)));
        CliRun r = CliRun.of("sweep", config.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        List<String> rows = Files.readAllLines(run.resolve("results.csv"));
        assertEquals(3, rows.size(), String.join("\n", rows));
        JsonNode prov = Json.mapper().readTree(run.resolve("target.provenance.json").toFile());
        assertEquals("public-faces-sample", prov.at("/gan/datasetName").asText(), prov.toString());

        // Resume: the same config skips both finished trials.
        CliRun again = CliRun.of("sweep", config.toString(), "--quiet");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(rows, Files.readAllLines(run.resolve("results.csv")));
    }

    @Test
    void aSweepWithGmiButNoGanIsRefusedWhenRead() throws Exception {
        Path config = dir.resolve("gmi-nogan.yaml");
        Files.writeString(config, String.join("\n", List.of(
                "name: gmi-nogan",
                "targets:",
                "  - {architecture: softmax}",
                "attack: {name: gmi}",
                "output: " + dir.resolve("nogan"))));
        CliRun r = CliRun.of("sweep", config.toString(), "--quiet");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.errorLines().contains("gmi needs a GAN prior"), r.err());
        assertFalse(Files.exists(dir.resolve("nogan")));
    }
}
