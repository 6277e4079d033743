package dev.mi4j.attacks.miface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.GradientPath;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.Objective;
import dev.mi4j.core.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MI-Face against networks the fast engine does not know, through the general gradient path
 * (DL4J's own backprop in inference mode): a network with batch norm, deconvolution and
 * upsampling, and a ComputationGraph with a merge vertex. Randomly initialised (seeded), so the
 * claim is only that the attack works on them: p_label rises well above its start for every
 * target, and the reported p_label is the model's for the returned image.
 */
class MiFaceOutsideNetworkTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 10);
    private static final int CLASSES = 5;
    private static final int[] TARGETS = {0, 2, 4};

    @Test
    void invertsABatchNormDeconvolutionNetwork() {
        assertInversionRaisesPLabel(new NetworkClassifier(TestNetworks.batchNormDeconv(SHAPE, CLASSES, 3, DataType.FLOAT, 1.0),
                SHAPE), "batch norm + deconvolution");
    }

    @Test
    void invertsAMergeVertexGraph() {
        assertInversionRaisesPLabel(new NetworkClassifier(TestNetworks.mergeGraph(SHAPE, CLASSES, 9, DataType.FLOAT, 1.0),
                SHAPE), "merge-vertex graph");
    }

    private static void assertInversionRaisesPLabel(NetworkClassifier model, String what) {
        assertEquals(GradientPath.GENERAL, model.gradientPath(), what + ": AUTO picks the general path");
        // -log p keeps a gradient where p_label starts tiny; no early stop by the window rule.
        MiFaceParams p = MiFaceParams.paperDefaults().withAlpha(200).withBeta(200).withLambda(0.5)
                .withObjective(Objective.NEG_LOG_P);
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, SHAPE.batchShape(TARGETS.length));
        double[] start = NetworkClassifier.labelProbabilities(model.predict(zeros), TARGETS);
        InversionResult res = new MiFace(model, p).invert(TARGETS);
        for (int i = 0; i < TARGETS.length; i++) {
            Reconstruction r = res.reconstructions().get(i);
            double seen = NetworkClassifier.labelProbabilities(
                    model.predict(r.image().reshape(SHAPE.batchShape(1))), new int[] {TARGETS[i]})[0];
            System.err.printf("%s: label %d p_label %.4f -> %.4f after %d steps (%s)%n", what, TARGETS[i], start[i],
                    r.bestPLabel(), r.iterations(), r.stopReason());
            assertEquals(seen, r.bestPLabel(), 1e-5, what + ": reported p_label is the model's for the image");
            assertTrue(r.bestPLabel() > start[i] + 0.2, what + " label " + TARGETS[i] + ": p_label " + start[i] + " -> "
                    + r.bestPLabel());
        }
    }
}
