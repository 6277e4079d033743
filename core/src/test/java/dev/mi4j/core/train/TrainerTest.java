package dev.mi4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.eval.EvaluationReport;
import dev.mi4j.core.eval.Evaluator;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.testing.SyntheticImages;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainerTest {

    private static final ImageShape SHAPE = new ImageShape(1, 24, 20);

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void everyArchitectureLearnsFiveBlobClasses(Architecture arch) {
        LabeledImages train = SyntheticImages.blobs(5, 16, SHAPE, 0.6, 1);
        LabeledImages test = SyntheticImages.blobs(5, 10, SHAPE, 0.6, 2);
        TrainingConfig cfg = new TrainingConfig(40, 16, 2e-3, 1e-4, 0.2, 10, 5);
        TrainingResult r = Trainer.train(arch, train, cfg, true);
        EvaluationReport rep = Evaluator.evaluate(new NetworkClassifier(r.net(), SHAPE), test);
        assertTrue(rep.accuracy() > 0.9, arch + ": test accuracy " + rep.accuracy());
        assertTrue(r.bestEpoch() >= 1 && r.bestEpoch() <= r.epochsRun());
        assertTrue(r.validationAccuracy() >= 0 && r.validationAccuracy() <= 1);
    }

    @Test
    void sameSeedGivesIdenticalParameters() {
        LabeledImages train = SyntheticImages.blobs(3, 8, new ImageShape(1, 12, 10), 0.5, 3);
        TrainingConfig cfg = new TrainingConfig(4, 5, 1e-2, 1e-4, 0.25, 10, 99);
        for (Architecture arch : new Architecture[] {Architecture.MLP, Architecture.EVAL}) {
            TrainingResult a = Trainer.train(arch, train, cfg, true);
            TrainingResult b = Trainer.train(arch, train, cfg, true);
            assertEquals(a.net().params(), b.net().params(), arch + ": runs differ");
            assertEquals(a.bestEpoch(), b.bestEpoch());
            TrainingResult c = Trainer.train(arch, train, cfg.withSeed(100), true);
            assertTrue(!a.net().params().equals(c.net().params()), arch + ": seed has no effect");
        }
    }

    @Test
    void withoutValidationRunsAllEpochs() {
        LabeledImages train = SyntheticImages.blobs(3, 6, new ImageShape(1, 12, 10), 0.5, 3);
        TrainingResult r = Trainer.train(Architecture.SOFTMAX, train, new TrainingConfig(7, 4, 1e-2, 0, 0, 1, 1), true);
        assertEquals(7, r.epochsRun());
        assertEquals(7, r.bestEpoch());
        assertTrue(Double.isNaN(r.validationAccuracy()));
    }

    @Test
    void validationSplitIsStratifiedAndSeeded() {
        int[] labels = new int[30];
        for (int i = 0; i < 30; i++) {
            labels[i] = i % 3;
        }
        int[][] s = Trainer.stratifiedSplit(labels, 3, 0.2, 4);
        assertEquals(6, s[1].length);
        assertEquals(24, s[0].length);
        for (int c = 0; c < 3; c++) {
            int cc = c;
            assertEquals(2, Arrays.stream(s[1]).filter(i -> labels[i] == cc).count());
        }
        assertArrayEquals(s[1], Trainer.stratifiedSplit(labels, 3, 0.2, 4)[1]);
        // a class of one image is never held out; a class of two gives one
        int[][] small = Trainer.stratifiedSplit(new int[] {0, 1, 1}, 2, 0.4, 1);
        assertEquals(1, small[1].length);
        assertTrue(small[1][0] == 1 || small[1][0] == 2);
        assertEquals(2, small[0].length);
    }

    @Test
    void configRejectsBadValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(0, 1, 1e-3, 0, 0.1, 1, 1));
        assertTrue(e.getMessage().startsWith("epochs"));
        e = assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(1, 1, 1e-3, 0, 0.5, 1, 1));
        assertTrue(e.getMessage().startsWith("validationFraction"));
        e = assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(1, 1, -1, 0, 0.1, 1, 1));
        assertTrue(e.getMessage().startsWith("learningRate"));
        for (Architecture a : Architecture.values()) {
            TrainingConfig.defaultsFor(a); // validated by the constructor
        }
    }
}
