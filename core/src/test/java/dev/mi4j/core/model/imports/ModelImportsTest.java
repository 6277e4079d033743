package dev.mi4j.core.model.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageDecoder;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.Objective;
import dev.mi4j.core.model.Objectives;
import dev.mi4j.core.model.Provenance;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.core.testing.GradientChecks;
import dev.mi4j.core.testing.SharedDatasets;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Models that another framework made (PyTorch, exported to ONNX; the same weights written as Keras
 * 2 HDF5 files; see core/src/test/fixtures/make_import_fixtures.py) imported by {@link ModelImports}
 * and checked against the exporter's own outputs on real AT&amp;T faces, their input gradients
 * against central differences, DL4J zips from outside mi4j, and the one-line refusals.
 */
class ModelImportsTest {

    /**
     * Probabilities of the imported model against PyTorch's, both in float32 on the same pixels.
     * The two sides sum the same products in other orders (and mi4j's area resize and the
     * script's numpy box mean round the pixels differently by ~1e-7): the measured differences are
     * 2e-7..8e-7 in probability (1.2e-5 in the MLP's logits of magnitude ~20; a probability moves
     * by at most a quarter of a logit's change). 2e-5 leaves a margin of 25x and still fails on any
     * real mistake: a wrong flatten order, channel order, transposed weight or missing batch
     * norm moves probabilities by 0.01 to 1.
     */
    private static final double OUTPUT_TOLERANCE = 2e-5;
    /**
     * Log-probabilities of a model that ends in logits (or log-softmax), against the exporter's:
     * the comparison that still means something for an untrained model whose probabilities are
     * all near 1/40. float32 logits of magnitude up to ~20 differ by up to 1.2e-5 (measured);
     * 1e-4 is 8x that, and a wrong weight layout moves them by 0.1 or more.
     */
    private static final double LOG_PROB_TOLERANCE = 1e-4;

    private static Path dir;
    private static JsonNode expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixtures() throws URISyntaxException, IOException {
        dir = Path.of(ModelImportsTest.class.getResource("/imports/expected.json").toURI()).getParent();
        expected = Json.mapper().readTree(Files.readString(dir.resolve("expected.json")));
    }

    static Stream<String> models() throws URISyntaxException, IOException {
        fixtures();
        List<String> files = new ArrayList<>();
        expected.get("models").forEach(m -> files.add(m.get("file").asText()));
        return files.stream();
    }

    private static JsonNode entry(String file) {
        for (JsonNode m : expected.get("models")) {
            if (m.get("file").asText().equals(file)) {
                return m;
            }
        }
        throw new IllegalArgumentException(file);
    }

    private static InputSpec spec(String file) {
        JsonNode in = entry(file).get("input");
        return new InputSpec(new ImageShape(in.get("channels").asInt(), in.get("height").asInt(), in.get("width").asInt()),
                in.get("scale").asDouble(), doubles(in.get("mean")), doubles(in.get("std")));
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    /** The script's probe images, read and resized by mi4j ([n, c, h, w] in [0, 1]; RGB repeats the grey). */
    private static INDArray probeImages(ImageShape s, DataType type) {
        List<INDArray> imgs = new ArrayList<>();
        for (JsonNode rel : expected.get("images")) {
            INDArray chw = ImageDecoder.read(SharedDatasets.root().resolve("att_faces").resolve(rel.asText()),
                    s.channels() == 1, s.height(), s.width());
            imgs.add(chw.reshape(1, s.channels(), s.height(), s.width()));
        }
        return Nd4j.concat(0, imgs.toArray(INDArray[]::new)).castTo(type);
    }

    /** The exporter's probabilities for the probe images (softmax of its logits for a logits model). */
    private static double[][] exporterProbabilities(String file) {
        JsonNode m = entry(file);
        boolean logits = m.get("output").asText().equals("logits");
        JsonNode rows = m.get("expected");
        double[][] p = new double[rows.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = doubles(rows.get(i));
            if (logits) {
                p[i] = Objectives.softmax(p[i]);
            }
        }
        return p;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            best = v[j] > v[best] ? j : best;
        }
        return best;
    }

    private static JsonNode readJson(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String oneLine(Exception e) {
        assertFalse(e.getMessage().contains("\n"), "not one line: " + e.getMessage());
        return e.getMessage();
    }

    // ------------------------------------------------------------------ outputs

    @ParameterizedTest
    @MethodSource("models")
    void importedModelGivesTheExportersOutputsOnAttFaces(String file) {
        InputSpec spec = spec(file);
        ImportedModel m = ModelImports.load(dir.resolve(file), spec);
        assertEquals(40, m.numClasses());
        assertEquals(spec, m.input());
        ImportProvenance p = m.provenance();
        assertEquals(entry(file).get("format").asText(), p.format());
        assertEquals(ModelImports.sha256(dir.resolve(file)), p.sha256());
        assertEquals(64, p.sha256().length());
        assertTrue(p.producer().startsWith(file.endsWith(".onnx") ? "pytorch 1.13" : "keras 2.11.0"), p.producer());
        boolean logits = entry(file).get("output").asText().equals("logits");
        assertEquals(logits, p.notes().stream().anyMatch(n -> n.contains("outputs logits")), p.notes().toString());
        assertEquals(file.endsWith(".h5"), p.notes().stream().anyMatch(n -> n.contains("NHWC")), p.notes().toString());

        DifferentiableClassifier clf = m.classifier();
        assertEquals(spec.shape(), clf.inputShape());
        INDArray x = probeImages(spec.shape(), DataType.FLOAT);
        INDArray probs = clf.predict(x);
        assertEquals(x.size(0), clf.queryCount());
        double[][] want = exporterProbabilities(file);
        double worst = 0;
        int correct = 0;
        for (int i = 0; i < want.length; i++) {
            double[] got = probs.getRow(i).toDoubleVector();
            for (int j = 0; j < got.length; j++) {
                worst = Math.max(worst, Math.abs(got[j] - want[i][j]));
            }
            assertEquals(argmax(want[i]), argmax(got), file + " image " + i);
            String subject = expected.get("images").get(i).asText().split("/")[0];
            correct += argmax(got) == Integer.parseInt(subject.substring(1)) - 1 ? 1 : 0;
        }
        assertTrue(worst < OUTPUT_TOLERANCE, file + ": max |p - p_exporter| = " + worst);
        if (logits) {
            double worstLog = 0;
            for (int i = 0; i < want.length; i++) {
                double[] got = probs.getRow(i).toDoubleVector();
                for (int j = 0; j < got.length; j++) {
                    if (want[i][j] > 1e-30) {   // the view's probabilities are float32: smaller ones underflow
                        worstLog = Math.max(worstLog, Math.abs(Math.log(got[j]) - Math.log(want[i][j])));
                    }
                }
            }
            assertTrue(worstLog < LOG_PROB_TOLERANCE, file + ": max |log p - log p_exporter| = " + worstLog);
        }
        if (entry(file).path("trained").asBoolean(true)) {
            // Trained classifiers: most probe faces (6 of 7 are test images) are recognised.
            assertTrue(correct >= 5, file + ": " + correct + " of " + want.length + " probe faces recognised");
        }
    }

    // ------------------------------------------------------------------ gradients

    /**
     * The view's input gradient (preprocessing, NHWC permutation, logits-to-softmax, batch norm
     * in inference mode, all chained) against central differences of its own cost, in double
     * precision: the imported network converted to double (DL4J's convertDataType, a copy).
     * h = 1e-6 gives truncation error ~h^2 and rounding ~1e-16/h, both far below 1e-6 relative.
     */
    @ParameterizedTest
    @MethodSource("models")
    void inputGradientOfTheImportedModelMatchesCentralDifferences(String file) {
        ImportedModel m = ModelImports.load(dir.resolve(file), spec(file));
        Model net64 = m.network() instanceof MultiLayerNetwork mln ? mln.convertDataType(DataType.DOUBLE)
                : ((ComputationGraph) m.network()).convertDataType(DataType.DOUBLE);
        DifferentiableClassifier clf = new ImportedModel(net64, m.input(), m.numClasses(), m.provenance()).classifier();
        INDArray x = probeImages(m.input().shape(), DataType.DOUBLE).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)).dup();
        int[] targets = {3, 17};
        for (Objective o : List.of(Objective.ONE_MINUS_P, Objective.NEG_LOG_P)) {
            GradientChecks.Result r = GradientChecks.centralDifferences(clf, x, targets, o, 16, 1e-6, 5);
            assertTrue(r.maxAbsGradient() > 0, file + " " + o + ": zero gradient");
            assertTrue(r.relativeError() < 1e-6, file + " " + o + ": relative error " + r.relativeError()
                    + " (max abs error " + r.maxAbsError() + ", max |gradient| " + r.maxAbsGradient() + ")");
        }
    }

    @Test
    void preprocessingChainsTheGradientPerChannel() {
        // The same network seen through two specs: scale/std per channel multiply the gradient, mean does not.
        ImportedModel m = ModelImports.load(dir.resolve("cnn.onnx"), spec("cnn.onnx"));
        InputSpec s = m.input();
        INDArray x = probeImages(s.shape(), DataType.FLOAT).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup();
        InputGradient g = m.classifier().inputGradient(x, new int[] {0}, Objective.NEG_LOG_P);
        ImportedClassifier view = ImportedModel.view(m.network(), s, "cnn.onnx");
        INDArray pre = view.toNetwork(x);
        // The network's own gradient at the preprocessed input, through an identity view of the same network.
        InputSpec identity = InputSpec.identity(s.shape());
        InputGradient raw = ImportedModel.view(m.network(), identity, "cnn.onnx").inputGradient(pre, new int[] {0},
                Objective.NEG_LOG_P);
        for (int c = 0; c < 3; c++) {
            double gain = s.scale() / s.std()[c];
            assertEquals(raw.gradient().getDouble(0, c, 10, 10) * gain, g.gradient().getDouble(0, c, 10, 10),
                    1e-6 * Math.abs(raw.gradient().getDouble(0, c, 10, 10) * gain) + 1e-12);
            assertEquals((x.getDouble(0, c, 10, 10) * s.scale() - s.mean()[c]) / s.std()[c], pre.getDouble(0, c, 10, 10),
                    1e-4);
        }
        assertEquals(g.cost().getDouble(0), raw.cost().getDouble(0), 1e-6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn.onnx", "cnn.h5", "mlp_logits.h5"})
    void theImportedNetworkIsNeverModified(String file) {
        ImportedModel m = ModelImports.load(dir.resolve(file), spec(file));
        INDArray before = m.network().params().dup();
        DifferentiableClassifier clf = m.classifier();
        INDArray x = probeImages(m.input().shape(), DataType.FLOAT);
        clf.predict(x);
        clf.inputGradient(x, new int[] {0, 1, 2, 3, 4, 5, 6}, Objective.NEG_LOG_P);
        clf.features(x);
        assertEquals(before, m.network().params());
    }

    // ------------------------------------------------------------------ DL4J zips from anywhere

    @Test
    void dl4jZipsFromOutsideMi4jLoadAsMultiLayerNetworkAndComputationGraph() throws IOException {
        // Networks DL4J saved itself (with updater state, no mi4j provenance): the converted ONNX CNN
        // (a MultiLayerNetwork) and the Keras Functional MLP (a ComputationGraph).
        for (String file : List.of("cnn.onnx", "mlp_logits.h5")) {
            ImportedModel original = ModelImports.load(dir.resolve(file), spec(file));
            Path zip = tmp.resolve(file + ".zip");
            ModelSerializer.writeModel(original.network(), zip.toFile(), true);
            ImportedModel m = ModelImports.load(zip, spec(file));
            assertEquals("dl4j-zip", m.provenance().format());
            assertEquals("deeplearning4j", m.provenance().producer());
            assertEquals(original.network().getClass(), m.network().getClass());
            INDArray x = probeImages(m.input().shape(), DataType.FLOAT);
            assertEquals(original.classifier().predict(x), m.classifier().predict(x));
            Mi4jException e = assertThrows(Mi4jException.class, () -> ModelImports.load(zip, null));
            assertTrue(oneLine(e).contains(zip.toString()) && e.getMessage().contains("declare it"), e.getMessage());
        }
    }

    @Test
    void mi4jZipsLoadWithTheirProvenance() {
        MultiLayerNetwork net = Architecture.SOFTMAX.build(new ImageShape(1, 28, 23), 4, 7);
        Provenance p = Provenance.create("att-faces", "ab".repeat(32), "first 7 of 10 per class", 7,
                Architecture.SOFTMAX, Map.of("epochs", 1), 4, new ImageShape(1, 28, 23), List.of("a", "b", "c", "d"),
                0.5, null, 1, 1L);
        Path zip = tmp.resolve("softmax.zip");
        ModelStore.save(new TargetModel(net, p), zip);
        ImportedModel m = ModelImports.load(zip, null);
        assertEquals(InputSpec.identity(new ImageShape(1, 28, 23)), m.input());
        assertEquals(4, m.numClasses());
        assertTrue(m.provenance().producer().startsWith("mi4j "), m.provenance().producer());
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> ModelImports.load(zip, InputSpec.identity(new ImageShape(1, 32, 32))));
        assertTrue(oneLine(e).contains("does not fit") && e.getMessage().contains("1x28x23"), e.getMessage());
    }

    @Test
    void aZipWithAJavaSerialisedEntryIsRefusedUnread() throws IOException {
        ImportedModel m = ModelImports.load(dir.resolve("softmax.onnx"), spec("softmax.onnx"));
        Path good = tmp.resolve("good.zip");
        ModelSerializer.writeModel(m.network(), good.toFile(), false);
        Path bad = tmp.resolve("bad.zip");
        copyZipWith(good, bad, "preprocessor.bin");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelImports.load(bad, spec("softmax.onnx")));
        assertTrue(oneLine(e).contains("preprocessor.bin") && e.getMessage().contains(bad.toString()), e.getMessage());
        // normalizer.bin is allowed but never read (whatever it holds), and the provenance says so.
        Path withNorm = tmp.resolve("norm.zip");
        copyZipWith(good, withNorm, "normalizer.bin");
        ImportedModel n = ModelImports.load(withNorm, spec("softmax.onnx"));
        assertTrue(n.provenance().notes().stream().anyMatch(s -> s.contains("normalizer.bin")), n.provenance().notes().toString());
    }

    private static void copyZipWith(Path from, Path to, String extraEntry) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(extraEntry));
            out.write(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5, 'x'});   // a Java serialisation header
            out.closeEntry();
        }
    }

    // ------------------------------------------------------------------ dispatch and refusals

    @Test
    void theFormatComesFromTheContentNotTheName() throws IOException {
        Path onnxNoExt = Files.copy(dir.resolve("softmax.onnx"), tmp.resolve("model"));
        Path kerasOddExt = Files.copy(dir.resolve("softmax.h5"), tmp.resolve("model.onnx"));
        assertEquals("onnx", ModelImports.load(onnxNoExt, spec("softmax.onnx")).provenance().format());
        assertEquals("keras-h5", ModelImports.load(kerasOddExt, spec("softmax.h5")).provenance().format());
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a model\n");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelImports.load(text, null));
        assertTrue(oneLine(e).contains(text.toString()) && e.getMessage().contains("neither"), e.getMessage());
        Mi4jException missing = assertThrows(Mi4jException.class, () -> ModelImports.load(tmp.resolve("nope.h5"), null));
        assertTrue(oneLine(missing).contains("does not exist"), missing.getMessage());
    }

    @Test
    void theShapeComesFromTheFileWhenNoneIsDeclared() {
        assertEquals(InputSpec.identity(new ImageShape(3, 28, 23)), ModelImports.load(dir.resolve("cnn.onnx"), null).input());
        assertEquals(InputSpec.identity(new ImageShape(3, 28, 23)), ModelImports.load(dir.resolve("cnn.h5"), null).input());
    }

    @Test
    void anUnsupportedOnnxOperatorIsNamedWithItsNode() {
        Path f = dir.resolve("unsupported_erf.onnx");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelImports.load(f, null));
        assertTrue(oneLine(e).contains("\"/Erf\" (Erf) is not supported") && e.getMessage().contains(f.toString()),
                e.getMessage());
    }

    @Test
    void anInputShapeThatDoesNotFitIsRefused() {
        Path onnx = dir.resolve("cnn.onnx");
        Mi4jException e1 = assertThrows(Mi4jException.class,
                () -> ModelImports.load(onnx, InputSpec.identity(new ImageShape(1, 28, 23))));
        assertTrue(oneLine(e1).contains("input shape 1x28x23 does not fit model file " + onnx)
                && e1.getMessage().contains("3x28x23"), e1.getMessage());
        Path h5 = dir.resolve("softmax.h5");
        Mi4jException e2 = assertThrows(Mi4jException.class,
                () -> ModelImports.load(h5, InputSpec.identity(new ImageShape(1, 32, 32))));
        assertTrue(oneLine(e2).contains("input shape 1x32x32 does not fit model file " + h5)
                && e2.getMessage().contains("[null, 28, 23, 1]"), e2.getMessage());
        // A model whose file says nothing of its spatial size is checked by running it: a DL4J zip.
        ImportedModel cnn = ModelImports.load(onnx, spec("cnn.onnx"));
        Path zip = tmp.resolve("cnn.zip");
        try {
            ModelSerializer.writeModel(cnn.network(), zip.toFile(), false);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        Mi4jException e3 = assertThrows(Mi4jException.class,
                () -> ModelImports.load(zip, InputSpec.identity(new ImageShape(3, 32, 32))));
        assertTrue(oneLine(e3).contains("input shape 3x32x32 does not fit model file " + zip), e3.getMessage());
        // Against a dataset's images.
        Mi4jException e4 = assertThrows(Mi4jException.class, () -> cnn.requireInputShape(new ImageShape(3, 112, 92), "att-faces"));
        assertTrue(oneLine(e4).contains("att-faces") && e4.getMessage().contains("3x28x23"), e4.getMessage());
        cnn.requireInputShape(new ImageShape(3, 28, 23), "att-faces");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn.h5", "cnn.onnx", "softmax.h5", "mlp_logits.onnx"})
    void aTruncatedFileIsRefusedByName(String file) throws IOException {
        byte[] all = Files.readAllBytes(dir.resolve(file));
        for (double fraction : new double[] {0.5, 0.97}) {
            Path cut = tmp.resolve("cut-" + fraction + "-" + file);
            try (OutputStream out = Files.newOutputStream(cut)) {
                out.write(all, 0, (int) (all.length * fraction));
            }
            Mi4jException e = assertThrows(Mi4jException.class, () -> ModelImports.load(cut, spec(file)));
            assertTrue(oneLine(e).contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void inputSpecsAreValidatedByField() {
        ImageShape s = new ImageShape(3, 4, 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new InputSpec(s, 0, null, null)).getMessage()
                .startsWith("input scale"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new InputSpec(s, 1, new double[] {0, 0}, null))
                .getMessage().startsWith("input mean"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new InputSpec(s, 1, null, new double[] {1, 0, 1}))
                .getMessage().startsWith("input std"));
        InputSpec one = new InputSpec(s, 255, new double[] {127.5}, new double[] {64});
        assertArrayEquals(new double[] {127.5, 127.5, 127.5}, one.mean());
        assertFalse(one.isIdentity());
        assertTrue(InputSpec.identity(s).isIdentity());
        assertEquals("3x4x4, x*255, mean [127.5, 127.5, 127.5], std [64, 64, 64]", one.toString());
        JsonNode json = readJson(ModelImports.load(dir.resolve("softmax.onnx"), null).provenance().toJson());
        assertEquals("onnx", json.get("format").asText());
        assertEquals("1x28x23", json.get("input").get("shape").asText());
        assertEquals(1.0, json.get("input").get("scale").asDouble());
    }
}
