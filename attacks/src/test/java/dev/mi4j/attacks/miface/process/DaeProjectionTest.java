package dev.mi4j.attacks.miface.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.miface.MiFace;
import dev.mi4j.attacks.miface.MiFaceParams;
import dev.mi4j.attacks.miface.process.ProcessStep;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.Autoencoder;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.train.DaeConfig;
import dev.mi4j.core.train.DaePretraining;
import dev.mi4j.core.train.DaeTrainer;
import dev.mi4j.core.train.Trainer;
import dev.mi4j.core.train.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Process-DAE on a small denoising autoencoder pretrained here on AT&amp;T faces downscaled to
 * 28x23 (images 1-7 of each subject), and MI-Face running with process steps.
 */
class DaeProjectionTest {

    private static final int H = 28;
    private static final int W = 23;

    private static LabeledImages train;
    private static Autoencoder ae;

    @BeforeAll
    static void pretrain() {
        train = AttFaces.faces(1, 7, H, W);
        DaePretraining pre = DaeTrainer.pretrain(train, new DaeConfig(40, 10, 2e-3, DaeConfig.Corruption.GAUSSIAN, 0.2, 7),
                true);
        ae = pre.autoencoder();
    }

    @Test
    void roundTripOfATrainingFaceStaysClose() {
        INDArray face = train.images().get(NDArrayIndex.interval(10, 11)).dup(); // s2, image 4
        INDArray meanFace = train.images().mean(true, 0);
        double trivial = AttFaces.mse(meanFace, face); // what projecting everything to one face would cost
        INDArray roundTrip = DaeProjection.of(ae, 0, 7, 21, 0, 1).apply(face);
        INDArray full = DaeProjection.of(ae).apply(face);
        assertArrayEquals(face.shape(), full.shape());
        double rt = AttFaces.mse(roundTrip, face);
        double fl = AttFaces.mse(full, face);
        assertTrue(rt < 0.6 * trivial, "round trip mse " + rt + ", mean face mse " + trivial);
        assertTrue(fl < 0.8 * trivial, "dae step mse " + fl + ", mean face mse " + trivial);
        // The round trip is closer to the face's own identity than to any other subject's images.
        INDArray sameId = train.images().get(NDArrayIndex.interval(7, 14));
        double own = AttFaces.mse(roundTrip, sameId.mean(true, 0));
        INDArray other = train.images().get(NDArrayIndex.interval(70, 77)); // s11
        assertTrue(own < AttFaces.mse(roundTrip, other.mean(true, 0)));
    }

    @Test
    void projectionPullsANoisyFaceBackToTheFaceManifold() {
        INDArray face = train.images().get(NDArrayIndex.interval(100, 101)).dup();
        Nd4j.getRandom().setSeed(11);
        INDArray noisy = Transforms.min(Transforms.max(face.add(Nd4j.randn(DataType.FLOAT, face.shape()).muli(0.15)), 0.0), 1.0);
        INDArray projected = DaeProjection.of(ae, 0, 7, 21, 0, 1).apply(noisy);
        assertTrue(AttFaces.mse(projected, face) < 0.5 * AttFaces.mse(noisy, face));
    }

    @Test
    void daeSpecParsesWithTheAutoencoderAndRoundTrips() {
        ProcessStep step = ProcessStepSpecs.parse("dae:h=5,amount=0.5", ae);
        assertEquals("dae:h=5,template=7,search=21,amount=0.5,sigma=1", step.name());
        assertEquals(step.name(), ProcessStepSpecs.parse(step.name(), ae).name());
        INDArray face = train.images().get(NDArrayIndex.interval(0, 2)).dup();
        assertEquals(step.apply(face), ProcessStepSpecs.parse(step.name(), ae).apply(face));
        assertEquals("dae:h=10,template=7,search=21,amount=1,sigma=1+sharpen:amount=1,sigma=1",
                ProcessStepSpecs.parse("dae+sharpen", ae).name());
        var e = assertThrows(IllegalArgumentException.class, () -> DaeProjection.of(ae, -1, 7, 21, 1, 1));
        assertTrue(e.getMessage().startsWith("h"));
        e = assertThrows(IllegalArgumentException.class, () -> DaeProjection.of(ae, 0, 8, 21, 1, 1));
        assertTrue(e.getMessage().startsWith("template"), "window sizes are checked even with denoising off");
        e = assertThrows(IllegalArgumentException.class, () -> ProcessStepSpecs.parse("dae:amount=-2", ae));
        assertTrue(e.getMessage().startsWith("amount"));
        // A config is checked when it is loaded, before any autoencoder exists.
        ProcessStepSpecs.check("dae:h=5,amount=0.5");
        ProcessStepSpecs.check("denoise+dae");
        e = assertThrows(IllegalArgumentException.class, () -> ProcessStepSpecs.check("dae:amount=-2"));
        assertTrue(e.getMessage().startsWith("amount"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProcessStepSpecs.check("dae:radius=2"));
        assertTrue(e.getMessage().contains("radius"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProcessStepSpecs.parse("dae"));
        assertTrue(e.getMessage().contains("autoencoder"), e.getMessage());
        assertTrue(ProcessStepSpecs.needsAutoencoder("denoise:h=3+DAE:h=0"));
        assertFalse(ProcessStepSpecs.needsAutoencoder("denoise+sharpen"));
    }

    @Test
    void miFaceRunsWithProcessSteps() {
        var net = Trainer.train(Architecture.SOFTMAX, train, new TrainingConfig(20, 32, 5e-3, 0, 0, 1, 3), true).net();
        NetworkClassifier target = new NetworkClassifier(net, train.shape());
        int[] targets = {0, 5, 17};
        for (ProcessStep step : new ProcessStep[] {ProcessStepSpecs.parse("denoise:h=5+sharpen:amount=0.5"),
                DaeProjection.of(ae)}) {
            MiFace attack = new MiFace(target, MiFaceParams.paperDefaults().withAlpha(20).withBeta(50)).process(step);
            InversionResult r = attack.invert(targets);
            assertEquals(step.name(), r.params().get("process"));
            assertEquals(3, r.reconstructions().size());
            for (Reconstruction rec : r.reconstructions()) {
                assertArrayEquals(new long[] {1, H, W}, rec.image().shape());
                assertTrue(rec.iterations() >= 1 && rec.iterations() <= 20);
                assertTrue(rec.image().minNumber().doubleValue() >= 0 && rec.image().maxNumber().doubleValue() <= 1);
                assertTrue(Double.isFinite(rec.bestCost()));
            }
        }
    }
}
