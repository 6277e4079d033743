package dev.mi4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ModelStoreTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 10);

    @TempDir
    Path dir;

    private static TargetModel model() {
        MultiLayerNetwork net = Architecture.CNN.build(SHAPE, 4, 3);
        Provenance p = Provenance.create("blobs", "ab".repeat(32), "first 7 of 10 per class", 3, Architecture.CNN,
                Map.of("epochs", 12, "learningRate", 0.001, "optimizer", "adam"), 4, SHAPE,
                List.of("w", "x", "y", "z"), 0.975, null, 12, 1234L);
        return new TargetModel(net, p);
    }

    @Test
    void saveAndLoadRoundTripNetworkAndProvenance() throws IOException {
        TargetModel m = model();
        Path zip = dir.resolve("models/cnn.zip");
        ModelStore.save(m, zip);
        assertTrue(Files.isRegularFile(dir.resolve("models/cnn.provenance.json")));
        try (var files = Files.list(zip.getParent())) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
        TargetModel back = ModelStore.load(zip);
        assertEquals(m.provenance(), back.provenance());
        assertEquals(m.network().params(), back.network().params());
        var x = Nd4j.rand(DataType.FLOAT, SHAPE.batchShape(2));
        assertEquals(m.network().output(x, false), back.network().output(x, false));
        assertEquals(null, back.provenance().testAccuracy());
        assertEquals(zip.toString(), back.source());
        assertFalse(back.provenance().createdAt().isBlank());
        assertFalse(back.provenance().backend().isBlank());
        String json = Files.readString(ModelStore.provenancePath(zip));
        assertTrue(json.contains("\"architecture\" : \"cnn\""), json);
    }

    /**
     * What a training defense did travels with the model; an undefended model's file has no
     * "defense" key at all (files written before defenses existed read back the same), and a file
     * from before defenses existed reads back with none.
     */
    @Test
    void defenseRecordRoundTripsAndIsAbsentWithoutOne() throws IOException {
        String plainJson = model().provenance().toJson();
        assertFalse(plainJson.contains("defense"), plainJson);
        assertEquals(null, Provenance.fromJson(plainJson).defense());

        Map<String, Object> record = new java.util.LinkedHashMap<>();
        record.put("name", "dp");
        record.put("parameters", Map.of("epsilon", 4.0, "clip", 1.0));
        record.put("epsilon", 3.98);
        TargetModel m = new TargetModel(model().network(), model().provenance().withDefense(record));
        Path zip = dir.resolve("models/dp.zip");
        ModelStore.save(m, zip);
        TargetModel back = ModelStore.load(zip);
        assertEquals(record, back.provenance().defense());
        assertEquals(m.provenance(), back.provenance());
        assertEquals(record, back.provenance().withTestAccuracy(0.5).defense(), "kept by the with-methods");
        assertTrue(Files.readString(ModelStore.provenancePath(zip)).contains("\"defense\" : {"));
    }

    @Test
    void checkFitsRefusesAnotherShapeOrClassCount() {
        TargetModel m = new TargetModel(model().network(), model().provenance(), "models/cnn.zip");
        m.checkFits(SHAPE, 4, "blobs");
        Mi4jException e = assertThrows(Mi4jException.class, () -> m.checkFits(new ImageShape(1, 243, 320), 15, "yale"));
        assertEquals("model models/cnn.zip expects 1x12x10 inputs and 4 classes, but dataset yale gives 1x243x320 and 15",
                e.getMessage());
        assertThrows(Mi4jException.class, () -> m.checkFits(SHAPE, 5, "blobs5"));
    }

    @Test
    void missingFileIsNamed() {
        Path zip = dir.resolve("nope.zip");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelStore.load(zip));
        assertTrue(e.getMessage().contains(zip.toString()), e.getMessage());
    }

    @Test
    void notAZipIsNamed() throws IOException {
        Path zip = dir.resolve("text.zip");
        Files.writeString(zip, "this is not a model");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelStore.load(zip));
        assertTrue(e.getMessage().contains(zip.toString()) && e.getMessage().contains("not a valid zip"), e.getMessage());
    }

    @Test
    void truncatedZipIsNamed() throws IOException {
        Path good = dir.resolve("good.zip");
        ModelStore.save(model(), good);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Files.copy(ModelStore.provenancePath(good), ModelStore.provenancePath(cut));
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelStore.load(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    @Test
    void corruptEntryIsNamed() throws IOException {
        Path good = dir.resolve("good.zip");
        ModelStore.save(model(), good);
        byte[] bytes = Files.readAllBytes(good);
        for (int i = 200; i < 400; i++) {
            bytes[i] ^= 0x5a; // inside the first entry's data: the central directory stays intact
        }
        Path bad = dir.resolve("bad.zip");
        Files.write(bad, bytes);
        Files.copy(ModelStore.provenancePath(good), ModelStore.provenancePath(bad));
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelStore.load(bad));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void unsafeEntryNamesAreRefused() throws IOException {
        Path zip = dir.resolve("evil.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("../../etc/evil"));
            z.write("x".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelStore.load(zip));
        assertTrue(e.getMessage().contains("unsafe entry") && e.getMessage().contains(zip.toString()), e.getMessage());
    }

    @Test
    void missingOrBrokenProvenanceIsNamed() throws IOException {
        Path zip = dir.resolve("m.zip");
        ModelStore.save(model(), zip);
        Path prov = ModelStore.provenancePath(zip);
        Files.writeString(prov, "{ not json");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelStore.load(zip));
        assertTrue(e.getMessage().contains(prov.toString()), e.getMessage());
        Files.delete(prov);
        e = assertThrows(Mi4jException.class, () -> ModelStore.load(zip));
        assertTrue(e.getMessage().contains(prov.toString()), e.getMessage());
    }
}
