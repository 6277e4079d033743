package dev.mi4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.testing.TestNetworks;
import dev.mi4j.core.train.GanConfig;
import dev.mi4j.core.train.GanTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The GAN prior: its latent and discriminator gradients (through {@link dev.mi4j.core.model.backprop.NetworkVjp},
 * inference-mode batch norm, transposed convolutions) against central differences in double
 * precision, the networks left untouched, training deterministic for a seed, and the store.
 */
class GanTest {

    private static final ImageShape SHAPE = new ImageShape(1, 16, 16);
    private static final int LATENT = 5;

    /** A tiny DOUBLE DCGAN with random weights and batch-norm running statistics away from 0 / 1. */
    private static Gan tinyDouble() {
        MultiLayerNetwork g = DcGan.generator(SHAPE, LATENT, 2, 3, new Adam(1e-3), DataType.DOUBLE);
        MultiLayerNetwork d = DcGan.discriminator(SHAPE, 2, 4, new Adam(1e-3), DataType.DOUBLE);
        TestNetworks.randomize(g, 11);
        TestNetworks.randomize(d, 12);
        return new Gan(g, d, SHAPE, LATENT, null);
    }

    @Test
    void latentGradientMatchesCentralDifferences() {
        Gan gan = tinyDouble();
        Nd4j.getRandom().setSeed(5);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 3, LATENT);
        INDArray w = Nd4j.randn(DataType.DOUBLE, SHAPE.batchShape(3));
        // cost(z) = sum over images of w . G(z): its image epsilon is w.
        INDArray an = gan.latentGradient(z, images -> w);
        double h = 1e-6;
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < LATENT; j++) {
                INDArray zp = z.dup();
                zp.putScalar(i, j, z.getDouble(i, j) + h);
                INDArray zm = z.dup();
                zm.putScalar(i, j, z.getDouble(i, j) - h);
                double fd = (gan.generate(zp).mul(w).sumNumber().doubleValue()
                        - gan.generate(zm).mul(w).sumNumber().doubleValue()) / (2 * h);
                double a = an.getDouble(i, j);
                diff += (fd - a) * (fd - a);
                norm += Math.max(fd * fd, a * a);
            }
        }
        double rel = Math.sqrt(diff / norm);
        assertTrue(norm > 1e-6, "gradient not trivially zero");
        assertTrue(rel < 1e-6, "relative error " + rel);
    }

    @Test
    void discriminatorLossIsNonSaturatingAndItsGradientMatchesCentralDifferences() {
        Gan gan = tinyDouble();
        INDArray x = TestNetworks.images(SHAPE, 2, 9, DataType.DOUBLE);
        GenerativePrior.PriorLoss loss = gan.discriminatorLoss(x);
        double[] p = gan.realProbability(x);
        for (int i = 0; i < 2; i++) {
            assertEquals(-Math.log(p[i]), loss.cost()[i], 1e-12, "cost = -log D(x)");
        }
        INDArray flat = x.reshape(2, SHAPE.size());
        Random r = new Random(3);
        double diff = 0;
        double norm = 0;
        double h = 1e-6;
        for (int k = 0; k < 20; k++) {
            int i = k % 2;
            int j = r.nextInt(SHAPE.size());
            INDArray xp = flat.dup();
            xp.putScalar(i, j, flat.getDouble(i, j) + h);
            INDArray xm = flat.dup();
            xm.putScalar(i, j, flat.getDouble(i, j) - h);
            double fd = (gan.discriminatorLoss(xp.reshape(x.shape())).cost()[i]
                    - gan.discriminatorLoss(xm.reshape(x.shape())).cost()[i]) / (2 * h);
            double a = loss.gradient().reshape(2, SHAPE.size()).getDouble(i, j);
            diff += (fd - a) * (fd - a);
            norm += Math.max(fd * fd, a * a);
        }
        double rel = Math.sqrt(diff / norm);
        assertTrue(norm > 1e-12, "gradient not trivially zero");
        assertTrue(rel < 1e-6, "relative error " + rel);
    }

    @Test
    void gradientsLeaveTheNetworksUntouched() {
        Gan gan = tinyDouble();
        INDArray gParams = gan.generator().params().dup();
        INDArray dParams = gan.discriminator().params().dup();
        INDArray z = Nd4j.randn(DataType.DOUBLE, 4, LATENT);
        gan.latentGradient(z, images -> gan.discriminatorLoss(images).gradient());
        assertEquals(gParams, gan.generator().params());
        assertEquals(dParams, gan.discriminator().params());
        // Inference mode: a row's image does not depend on the rest of the batch (batch norm on running statistics).
        INDArray one = gan.generate(z.getRow(1, true));
        assertEquals(one.reshape(SHAPE.size()), gan.generate(z).slice(1).reshape(SHAPE.size()));
    }

    @Test
    void shapesAreChecked() {
        Gan gan = tinyDouble();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gan.generate(Nd4j.zeros(DataType.DOUBLE, 2, LATENT + 1)));
        assertTrue(e.getMessage().startsWith("z: expected [n, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DcGan.stages(new ImageShape(1, 24, 24)));
        assertThrows(IllegalArgumentException.class, () -> DcGan.stages(new ImageShape(1, 32, 16)));
        assertThrows(IllegalArgumentException.class, () -> new Gan(gan.generator(), gan.discriminator(),
                new ImageShape(1, 32, 32), LATENT, null));
    }

    @Test
    void trainingIsDeterministicRecordsItselfAndRoundTrips(@TempDir Path dir) {
        INDArray x = TestNetworks.images(SHAPE, 24, 1, DataType.FLOAT);
        GanConfig cfg = new GanConfig(2, 8, 2e-4, 0.5, 0.999, LATENT, 2, true, 7L, 1);
        List<Integer> sampled = new ArrayList<>();
        GanTrainer.DataDescription data = new GanTrainer.DataDescription("noise", "abc", "24 noise images");
        Gan a = GanTrainer.train(x, cfg, data, (epoch, samples) -> {
            sampled.add(epoch);
            assertArrayEquals(SHAPE.batchShape(GanTrainer.SAMPLES), samples.shape());
        }, true);
        Gan b = GanTrainer.train(x, cfg, data, null, true);
        assertEquals(a.generator().params(), b.generator().params());
        assertEquals(a.discriminator().params(), b.discriminator().params());
        assertEquals(List.of(1, 2), sampled);
        GanProvenance p = a.provenance();
        assertEquals(2, p.history().size());
        assertEquals(24, p.images());
        assertEquals("non-saturating", p.objective());
        assertEquals(0.5, p.hyperparameters().get("beta1"));
        assertTrue(((Number) p.history().get(1).get("gLoss")).doubleValue() > 0);
        // Another seed, another GAN.
        Gan c = GanTrainer.train(x, cfg.withSeed(8), data, null, true);
        assertTrue(!a.generator().params().equals(c.generator().params()));

        Path zip = dir.resolve("gan.zip");
        GanStore.save(a, zip);
        assertTrue(GanStore.exists(zip));
        Gan loaded = GanStore.load(zip);
        INDArray z = Nd4j.randn(DataType.FLOAT, 3, LATENT);
        assertEquals(a.generate(z), loaded.generate(z));
        assertArrayEquals(a.logits(a.generate(z)), loaded.logits(a.generate(z)), 0);
        assertEquals(p.datasetSha256(), loaded.provenance().datasetSha256());
    }

    @Test
    void storeRefusesMissingPartsNamingTheFile(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("gan.zip");
        Mi4jException e = assertThrows(Mi4jException.class, () -> GanStore.load(zip));
        assertTrue(e.getMessage().contains("gan.zip does not exist"), e.getMessage());
        Gan gan = tinyDouble();
        assertThrows(IllegalArgumentException.class, () -> GanStore.save(gan, zip));
        Files.writeString(zip, "not a zip");
        Files.writeString(GanStore.discriminatorPath(zip), "not a zip");
        Files.writeString(GanStore.provenancePath(zip), "{\"imageShape\":{\"channels\":1,\"height\":16,\"width\":16},\"latentDim\":5}");
        Mi4jException z = assertThrows(Mi4jException.class, () -> GanStore.load(zip));
        assertTrue(z.getMessage().contains("gan.zip"), z.getMessage());
    }
}
