package dev.mi4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.testing.SharedDatasets;
import dev.mi4j.core.testing.SyntheticImages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer's gradient hook: the hook-less path against a frozen copy of the loop it replaced
 * (bit for bit), a pass-through hook against {@code net.fit}, and the hook's view of the run.
 */
class TrainerHookTest {

    /** Five AT&amp;T identities, images 1-7, at 28x23: a real softmax target in seconds. */
    private static LabeledImages att;

    @BeforeAll
    static void load() {
        att = SharedDatasets.attFaces(5, 1, 7, 28, 23);
    }

    private static float[] params(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    /**
     * Without a hook the trainer must compute exactly what the static loop computed before the
     * hook existed: same float bits (not a tolerance), or cached models and the paper
     * reproduction would silently move. Softmax with Nesterov on real faces (the CCS 2015 target),
     * an Adam MLP, and the evaluation CNN whose dropout draws from ND4J's seeded generator.
     */
    @Test
    void withoutHookTheParametersAreBitIdenticalToTheFrozenLoop() {
        TrainingConfig softmax = TrainingConfig.defaultsFor(Architecture.SOFTMAX).withEpochs(30);
        assertArrayEquals(params(LegacyTrainLoop.train(Architecture.SOFTMAX, att, softmax)),
                params(Trainer.train(Architecture.SOFTMAX, att, softmax, true).net()), "softmax on AT&T");
        assertArrayEquals(params(LegacyTrainLoop.train(Architecture.SOFTMAX, att, softmax)),
                params(new Trainer().run(Architecture.SOFTMAX, att, softmax, true).net()), "softmax, instance");

        LabeledImages blobs = SyntheticImages.blobs(3, 9, new ImageShape(1, 16, 12), 0.5, 3);
        TrainingConfig small = new TrainingConfig(3, 5, 1e-2, 1e-4, 0.25, 10, 99);
        for (Architecture arch : new Architecture[] {Architecture.MLP, Architecture.EVAL}) {
            assertArrayEquals(params(LegacyTrainLoop.train(arch, blobs, small)),
                    params(Trainer.train(arch, blobs, small, true).net()), arch.id());
        }
    }

    /**
     * A hook that hands back DL4J's own minibatch gradient, applied through the updater by the
     * trainer, must land where {@code net.fit} lands. Measured: bit-identical (the trainer mirrors
     * {@code StochasticGradientDescent.optimize} step for step), for Nesterov, Adam and dropout.
     */
    @Test
    void passThroughHookGivesTheParametersOfFit() {
        TrainingConfig softmax = TrainingConfig.defaultsFor(Architecture.SOFTMAX).withEpochs(30);
        Trainer passThrough = new Trainer(() -> MinibatchStep::batchGradient);
        TrainingResult fit = Trainer.train(Architecture.SOFTMAX, att, softmax, true);
        TrainingResult hooked = passThrough.run(Architecture.SOFTMAX, att, softmax, true);
        assertArrayEquals(params(fit.net()), params(hooked.net()), "softmax (nesterov)");
        assertEquals(fit.bestEpoch(), hooked.bestEpoch());
        assertEquals(Map.of(), hooked.defense(), "a hook's (empty) report is the result's defense record");
        assertNull(fit.defense(), "no hook, no defense record");

        LabeledImages blobs = SyntheticImages.blobs(3, 9, new ImageShape(1, 16, 12), 0.5, 3);
        TrainingConfig small = new TrainingConfig(3, 5, 1e-2, 1e-4, 0.25, 10, 99);
        for (Architecture arch : new Architecture[] {Architecture.MLP, Architecture.CNN, Architecture.EVAL}) {
            assertArrayEquals(params(Trainer.train(arch, blobs, small, true).net()),
                    params(passThrough.run(arch, blobs, small, true).net()), arch.id());
        }
    }

    /** A hook whose gradient differs must change the result (the hook's gradient is really applied). */
    @Test
    void theHooksGradientIsWhatIsApplied() {
        TrainingConfig cfg = TrainingConfig.defaultsFor(Architecture.SOFTMAX).withEpochs(3).withValidationFraction(0);
        MultiLayerNetwork plain = Trainer.train(Architecture.SOFTMAX, att, cfg, true).net();
        MultiLayerNetwork doubled = new Trainer(() -> step -> {
            StepGradient g = step.batchGradient();
            return new StepGradient(g.gradient().mul(2), g.divisor(), g.score());
        }).run(Architecture.SOFTMAX, att, cfg, true).net();
        assertFalse(Arrays.equals(params(plain), params(doubled)));
        // a copy of the gradient (not the network's own view) goes through the same path
        MultiLayerNetwork copied = new Trainer(() -> step -> {
            StepGradient g = step.batchGradient();
            return new StepGradient(g.gradient().dup(), g.divisor(), g.score());
        }).run(Architecture.SOFTMAX, att, cfg, true).net();
        assertArrayEquals(params(plain), params(copied));
        // a zero gradient moves nothing under Nesterov momentum from zero state (softmax starts at 0 weights)
        MultiLayerNetwork frozen = new Trainer(() -> step -> new StepGradient(
                step.zeroGradient(), Math.max(1, step.size()), Double.NaN))
                .run(Architecture.SOFTMAX, att, cfg.withEpochs(2), true).net();
        for (float v : params(frozen)) {
            assertEquals(0f, v);
        }
    }

    /** The hook sees every step in order, with its epoch, and its sampler decides the minibatches. */
    @Test
    void hookSeesStepsInOrderAndChoosesTheSampler() {
        TrainingConfig cfg = TrainingConfig.defaultsFor(Architecture.SOFTMAX).withEpochs(4).withValidationFraction(0);
        List<int[]> seen = new ArrayList<>();
        List<Integer> iterations = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        GradientHook hook = new GradientHook() {
            @Override
            public BatchSampler sampler(int n, TrainingConfig c) {
                assertEquals(att.size(), n);
                return new PoissonBatches(n, 0.2, 5, new Random(c.seed()));
            }

            @Override
            public StepGradient step(MinibatchStep step) {
                seen.add(step.indices());
                iterations.add(step.iteration());
                epochs.add(step.epoch());
                if (step.size() > 0) {
                    assertEquals(step.size(), step.features().size(0));
                    assertEquals(step.size(), step.labels().size(0));
                }
                return new StepGradient(step.zeroGradient(), 7, 0.5);
            }

            @Override
            public Map<String, Object> report() {
                return Map.of("name", "probe", "steps", seen.size());
            }
        };
        TrainingResult r = new Trainer(() -> hook).run(Architecture.SOFTMAX, att, cfg, true);
        assertEquals(20, seen.size(), "4 epochs of 5 Poisson steps");
        for (int i = 0; i < 20; i++) {
            assertEquals(i, iterations.get(i));
            assertEquals(i / 5 + 1, epochs.get(i));
        }
        assertEquals(Map.of("name", "probe", "steps", 20), r.defense());
        // the same seeded sampler gives the same minibatches
        PoissonBatches again = new PoissonBatches(att.size(), 0.2, 5, new Random(cfg.seed()));
        for (int e = 0; e < 4; e++) {
            List<int[]> epoch = again.nextEpoch();
            for (int s = 0; s < 5; s++) {
                assertArrayEquals(epoch.get(s), seen.get(e * 5 + s));
            }
        }
    }

    @Test
    void poissonBatchesIncludeEachExampleWithTheRate() {
        PoissonBatches p = PoissonBatches.withExpectedBatchSize(1000, 50, new Random(1));
        assertEquals(0.05, p.rate());
        assertEquals(20, p.stepsPerEpoch());
        long total = 0;
        int[] counts = new int[1000];
        for (int e = 0; e < 20; e++) {
            for (int[] b : p.nextEpoch()) {
                total += b.length;
                for (int i = 0; i < b.length; i++) {
                    counts[b[i]]++;
                    assertTrue(i == 0 || b[i] > b[i - 1], "sorted, no repeats within a batch");
                }
            }
        }
        // 400 steps x 1000 examples x 0.05 = 20000 expected; sd = sqrt(400000 * 0.05 * 0.95) = 138
        assertTrue(Math.abs(total - 20000) < 5 * 138, "total " + total);
        assertEquals(20, Arrays.stream(counts).average().orElseThrow(), 0.7);
        var e = assertThrows(IllegalArgumentException.class, () -> new PoissonBatches(10, 0, 1, new Random()));
        assertTrue(e.getMessage().startsWith("rate"));
        e = assertThrows(IllegalArgumentException.class, () -> PoissonBatches.withExpectedBatchSize(10, 11, new Random()));
        assertTrue(e.getMessage().startsWith("expectedBatchSize"));
    }

    @Test
    void shuffledBatchesCoverEveryExampleOncePerEpoch() {
        ShuffledBatches s = new ShuffledBatches(11, 4, new Random(3));
        for (int e = 0; e < 3; e++) {
            List<int[]> batches = s.nextEpoch();
            assertEquals(List.of(4, 4, 3), batches.stream().map(b -> b.length).toList());
            int[] all = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            assertArrayEquals(java.util.stream.IntStream.range(0, 11).toArray(), all);
        }
    }

    @Test
    void refusesWhatItCannotDo() {
        Trainer hooked = new Trainer(() -> MinibatchStep::batchGradient);
        var e = assertThrows(IllegalArgumentException.class, () -> hooked.run(Architecture.DAE, att,
                TrainingConfig.defaultsFor(Architecture.DAE), true));
        assertTrue(e.getMessage().startsWith("hook"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Trainer(null));
        var bad = new Trainer(() -> step -> new StepGradient(org.nd4j.linalg.factory.Nd4j.zeros(3), 1, 0));
        e = assertThrows(IllegalArgumentException.class, () -> bad.run(Architecture.SOFTMAX, att,
                TrainingConfig.defaultsFor(Architecture.SOFTMAX).withEpochs(1), true));
        assertTrue(e.getMessage().startsWith("gradient"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new StepGradient(org.nd4j.linalg.factory.Nd4j.zeros(3), 0, 0));
        assertTrue(e.getMessage().startsWith("divisor"), e.getMessage());
    }

    @Test
    void hyperparametersOfAnUndefendedModelAreUnchanged() {
        TrainingConfig cfg = TrainingConfig.defaultsFor(Architecture.MLP);
        assertEquals(cfg.asMap(), Trainer.hyperparameters(cfg, null));
        assertEquals(cfg.asMap().toString(), Trainer.hyperparameters(cfg, null, null).toString());
        assertEquals(cfg.asMap().toString(), Trainer.hyperparameters(cfg, null, Map.of()).toString());
        Map<String, Object> hp = Trainer.hyperparameters(cfg, null, Map.of("name", "ls", "factor", 0.1));
        assertEquals(Map.of("name", "ls", "factor", 0.1), hp.get("defense"));
    }
}
