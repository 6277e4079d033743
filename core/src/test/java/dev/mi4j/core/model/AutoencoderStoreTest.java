package dev.mi4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.train.DaeConfig;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class AutoencoderStoreTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 10);

    @Test
    void encodeDecodeShapesAndEncoderCopy() {
        Autoencoder ae = Autoencoder.create(SHAPE, 3, new Adam(1e-3), DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 12, 10);
        INDArray z = ae.encode(x);
        assertArrayEquals(new long[] {4, Autoencoder.CODE}, z.shape());
        INDArray r = ae.decode(z);
        assertArrayEquals(x.shape(), r.shape());
        assertEquals(r, ae.reconstruct(x));
        // encode equals the network's own inference forward pass to layer 1
        assertEquals(ae.network().feedForwardToLayer(1, x, false).get(2), z);
        MultiLayerNetwork clf = Architecture.DAE.build(SHAPE, 5, 9);
        ae.copyEncoderInto(clf);
        assertEquals(ae.network().getLayer(0).getParam("W"), clf.getLayer(0).getParam("W"));
        assertEquals(ae.network().getLayer(1).getParam("b"), clf.getLayer(1).getParam("b"));
        var e = assertThrows(IllegalArgumentException.class, () -> ae.copyEncoderInto(Architecture.MLP.build(SHAPE, 5, 9)));
        assertTrue(e.getMessage().startsWith("classifier"));
    }

    @Test
    void savesBesideTheClassifierAndLoadsBack(@TempDir Path dir) {
        Autoencoder ae = Autoencoder.create(SHAPE, 4, new Adam(1e-3), DataType.FLOAT);
        Path clf = dir.resolve("blobs-dae.zip");
        assertEquals(dir.resolve("blobs-dae.autoencoder.zip"), AutoencoderStore.autoencoderPath(clf));
        AutoencoderProvenance p = AutoencoderProvenance.create(null, null, null, DaeConfig.defaults().asMap(), SHAPE,
                0.01, 3, 1200).withDataset("blobs", "ab".repeat(32), "first 7 of 10 per class");
        AutoencoderStore.save(new PretrainedAutoencoder(ae, p), clf);
        assertTrue(AutoencoderStore.exists(clf));
        PretrainedAutoencoder back = AutoencoderStore.load(clf);
        assertEquals(ae.network().params(), back.autoencoder().network().params());
        assertEquals(SHAPE, back.autoencoder().shape());
        // JSON numbers come back as the narrowest type (seed 1234L -> Integer): compare what matters.
        assertEquals(p.datasetName(), back.provenance().datasetName());
        assertEquals(p.inputShape(), back.provenance().inputShape());
        assertEquals(p.reconstructionMse(), back.provenance().reconstructionMse());
        assertEquals(p.createdAt(), back.provenance().createdAt());
        assertEquals("1234", back.provenance().hyperparameters().get("seed").toString());
        assertEquals("gaussian", back.provenance().hyperparameters().get("corruption"));
        Mi4jException missing = assertThrows(Mi4jException.class, () -> AutoencoderStore.load(dir.resolve("other.zip")));
        assertTrue(missing.getMessage().contains("other.autoencoder.zip"));
    }

    @Test
    void aDaeTargetSavedThroughModelStoreCarriesItsAutoencoder(@TempDir Path dir) throws Exception {
        Autoencoder ae = Autoencoder.create(SHAPE, 4, new Adam(1e-3), DataType.FLOAT);
        MultiLayerNetwork clf = Architecture.DAE.build(SHAPE, 5, 9);
        ae.copyEncoderInto(clf);
        Provenance prov = Provenance.create("blobs", "ab".repeat(32), "first 7 of 10 per class", 9, Architecture.DAE,
                Map.of("epochs", 3), 5, SHAPE, java.util.List.of("a", "b", "c", "d", "e"), 0.9, 0.8, 3, 100L);
        AutoencoderProvenance ap = AutoencoderProvenance.create("blobs", "ab".repeat(32), "first 7 of 10 per class",
                DaeConfig.defaults().asMap(), SHAPE, 0.01, 3, 1200);
        Path zip = dir.resolve("blobs-dae.zip");
        ModelStore.save(new TargetModel(clf, prov, null, new PretrainedAutoencoder(ae, ap)), zip);
        assertTrue(AutoencoderStore.exists(zip));
        TargetModel back = ModelStore.load(zip);
        assertTrue(back.autoencoder() != null, "the autoencoder beside the classifier is loaded with it");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 12, 10);
        assertEquals(ae.reconstruct(x), back.autoencoder().autoencoder().reconstruct(x));
        assertEquals(0.01, back.autoencoder().provenance().reconstructionMse());

        // Without the autoencoder file the classifier still loads (only Process-DAE needs it) ...
        java.nio.file.Files.delete(AutoencoderStore.autoencoderPath(zip));
        assertEquals(null, ModelStore.load(zip).autoencoder());
        // ... but a damaged one is an error naming it, not a silent skip.
        java.nio.file.Files.writeString(AutoencoderStore.autoencoderPath(zip), "not a zip");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelStore.load(zip));
        assertTrue(e.getMessage().contains("blobs-dae.autoencoder.zip"), e.getMessage());
    }

    @Test
    void daeConfigValidatesWithParameterNames() {
        Map<String, Runnable> bad = Map.of(
                "epochs", () -> new DaeConfig(0, 10, 1e-3, DaeConfig.Corruption.GAUSSIAN, 0.2, 1),
                "batchSize", () -> new DaeConfig(1, 0, 1e-3, DaeConfig.Corruption.GAUSSIAN, 0.2, 1),
                "learningRate", () -> new DaeConfig(1, 1, 0, DaeConfig.Corruption.GAUSSIAN, 0.2, 1),
                "corruption", () -> new DaeConfig(1, 1, 1e-3, null, 0.2, 1),
                "corruptionLevel", () -> new DaeConfig(1, 1, 1e-3, DaeConfig.Corruption.MASKING, 1.0, 1));
        bad.forEach((name, r) -> {
            var e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().startsWith(name), e.getMessage());
        });
    }
}
