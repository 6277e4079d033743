package dev.mi4j.attacks.blackbox;

import dev.mi4j.core.testing.LinearSoftmaxModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.miface.process.AttFaces;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.Objective;
import dev.mi4j.core.train.Trainer;
import dev.mi4j.core.train.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gradient estimators against the true input gradient of a softmax target trained here on
 * real AT&amp;T faces (downscaled to 28x23, 644 pixels, so that full central differences stay cheap).
 */
class BlackBoxOnAttFacesTest {

    private static final Logger LOG = LoggerFactory.getLogger(BlackBoxOnAttFacesTest.class);
    private static final int[] TARGETS = {0, 7, 23};

    private static LabeledImages train;
    private static NetworkClassifier target;

    @BeforeAll
    static void trainTarget() {
        train = AttFaces.faces(1, 7, 28, 23);
        target = new NetworkClassifier(Trainer.train(Architecture.SOFTMAX, train,
                TrainingConfig.defaultsFor(Architecture.SOFTMAX).withEpochs(40), true).net(), train.shape());
    }

    /** Three real faces of other identities than the targets: where an attack's gradient is taken. */
    private static INDArray probes() {
        return train.images().get(NDArrayIndex.indices(3, 40, 100)).dup();
    }

    @Test
    void estimatedGradientsPointAlongTheTrueGradientOfARealTarget() {
        INDArray x = probes();
        InputGradient exact = target.inputGradient(x, TARGETS, Objective.ONE_MINUS_P);
        int d = train.shape().size();

        EstimatedGradientClassifier fd = new EstimatedGradientClassifier(target, new FiniteDifferences(1e-2), 4096,
                QueryBudget.unlimited());
        long before = target.queryCount();
        InputGradient fdGrad = fd.inputGradient(x, TARGETS, Objective.ONE_MINUS_P);
        long fdQueries = target.queryCount() - before;
        EstimatedGradientClassifier nes = new EstimatedGradientClassifier(target, new NesEstimator(400, 1e-2, 5L), 4096,
                QueryBudget.unlimited());
        before = target.queryCount();
        InputGradient nesGrad = nes.inputGradient(x, TARGETS, Objective.ONE_MINUS_P);
        long nesQueries = target.queryCount() - before;
        EstimatedGradientClassifier nesSmall = new EstimatedGradientClassifier(target, new NesEstimator(25, 1e-2, 5L),
                4096, QueryBudget.unlimited());
        InputGradient nesSmallGrad = nesSmall.inputGradient(x, TARGETS, Objective.ONE_MINUS_P);

        for (int i = 0; i < TARGETS.length; i++) {
            double cFd = LinearSoftmaxModel.cosine(exact.gradient().get(NDArrayIndex.point(i)),
                    fdGrad.gradient().get(NDArrayIndex.point(i)));
            double cNes = LinearSoftmaxModel.cosine(exact.gradient().get(NDArrayIndex.point(i)),
                    nesGrad.gradient().get(NDArrayIndex.point(i)));
            double cSmall = LinearSoftmaxModel.cosine(exact.gradient().get(NDArrayIndex.point(i)),
                    nesSmallGrad.gradient().get(NDArrayIndex.point(i)));
            LOG.info("target {}: cosine to the true gradient: central differences {}, NES 400 pairs {}, NES 25 pairs {}",
                    TARGETS[i], String.format("%.4f", cFd), String.format("%.3f", cNes), String.format("%.3f", cSmall));
            assertTrue(cFd > 0.99, "central differences, target " + TARGETS[i] + ": cosine " + cFd);
            // NES with N pairs in d dimensions: cosine about sqrt(N / (N + d)) for a smooth target.
            assertTrue(cNes > 0.45, "NES 400 pairs, target " + TARGETS[i] + ": cosine " + cNes);
            assertTrue(cSmall > 0.05, "NES 25 pairs, target " + TARGETS[i] + ": cosine " + cSmall);
            assertTrue(cNes > cSmall, "more samples, a better estimate");
        }
        // Every image the estimators sent reached the model: 2d probes + the image, 2 x 400 + 1.
        assertEquals(3L * (2 * d + 1), fdQueries);
        assertEquals(3L * (2 * 400 + 1), nesQueries);
        // The estimator saw only probabilities, and reports the true ones for the unperturbed images.
        assertTrue(exact.probabilities().equalsWithEps(nesGrad.probabilities(), 1e-5));
    }
}
