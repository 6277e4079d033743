package dev.mi4j.core.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.testing.SyntheticTables;
import dev.mi4j.core.train.BatchSampler;
import dev.mi4j.core.train.GradientHook;
import dev.mi4j.core.train.MinibatchStep;
import dev.mi4j.core.train.ShuffledBatches;
import dev.mi4j.core.train.StepGradient;
import dev.mi4j.core.train.TrainingConfig;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** DL4J tabular targets and the tabular loop's use of the trainer's gradient hook. */
class TabularNetworkTest {

    private static final TabularData TOY = SyntheticTables.threeBinary(400, 5);

    private static TrainingConfig cfg(long seed) {
        return new TrainingConfig(25, 32, 0.05, 0, 0, 1, seed, TrainingConfig.Optimizer.ADAM);
    }

    @Test
    void logisticRegressionLearnsTheToyRule() {
        TabularNetwork.Trained t = TabularNetwork.train(TabularNetwork.Kind.LOGREG, 0, TOY, cfg(1), null);
        assertEquals(1.0, TabularProvenance.accuracy(t.network(), TOY), 1e-12);
        assertNull(t.run().defense());
        assertEquals(6, t.network().encoding().width(), "three one-hot binary columns");
    }

    @Test
    void sameSeedSameParameters() {
        float[] a = TabularNetwork.train(TabularNetwork.Kind.MLP, 8, TOY, cfg(3), null).network().network().params()
                .data().asFloat();
        float[] b = TabularNetwork.train(TabularNetwork.Kind.MLP, 8, TOY, cfg(3), null).network().network().params()
                .data().asFloat();
        assertArrayEquals(a, b);
    }

    /** A hook that hands back the plain minibatch gradient must train the network as net.fit does. */
    @Test
    void passThroughHookMatchesPlainTraining() {
        AtomicInteger steps = new AtomicInteger();
        GradientHook passThrough = new GradientHook() {
            @Override
            public StepGradient step(MinibatchStep step) {
                steps.incrementAndGet();
                return step.batchGradient();
            }

            @Override
            public BatchSampler sampler(int n, TrainingConfig c) {
                return ShuffledBatches.forConfig(n, c);
            }

            @Override
            public Map<String, Object> report() {
                return Map.of("name", "pass-through");
            }
        };
        TabularNetwork.Trained plain = TabularNetwork.train(TabularNetwork.Kind.LOGREG, 0, TOY, cfg(2), null);
        TabularNetwork.Trained hooked = TabularNetwork.train(TabularNetwork.Kind.LOGREG, 0, TOY, cfg(2),
                () -> passThrough);
        assertEquals(25 * 13, steps.get(), "25 epochs of ceil(400 / 32) minibatches");
        assertArrayEquals(plain.network().network().params().data().asFloat(),
                hooked.network().network().params().data().asFloat(), 1e-5f);
        assertNotNull(hooked.run().defense());
    }

    @Test
    void aValidationSplitIsRefusedByName() {
        TrainingConfig withVal = new TrainingConfig(5, 32, 0.05, 0, 0.2, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TabularNetwork.train(TabularNetwork.Kind.LOGREG, 0, TOY, withVal, null));
        assertTrue(e.getMessage().startsWith("validationFraction"), e.getMessage());
    }

    @Test
    void predictCountsQueries() {
        TabularNetwork n = TabularNetwork.train(TabularNetwork.Kind.LOGREG, 0, TOY, cfg(1), null).network();
        n.predict(TOY.records());
        assertEquals(400, n.queryCount());
        n.resetQueryCount();
        assertEquals(0, n.queryCount());
    }
}
