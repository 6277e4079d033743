package dev.mi4j.attacks.miface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.model.Objective;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MiFaceParamsTest {

    private static final MiFaceParams P = MiFaceParams.paperDefaults();

    @Test
    void paperDefaults() {
        assertEquals(5000, P.alpha());
        assertEquals(100, P.beta());
        assertEquals(0.99, P.gamma());
        assertEquals(GammaMode.CONFIDENCE, P.gammaMode());
        assertEquals(0.1, P.lambda());
        assertEquals(Objective.ONE_MINUS_P, P.objective());
        assertEquals(Init.ZEROS, P.init());
        assertEquals(false, P.recordTrajectory());
        assertEquals(0, P.snapshotEvery());
    }

    private static void assertRejected(String param, Supplier<MiFaceParams> bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::get);
        assertTrue(e.getMessage().startsWith(param + " "), "message should start with '" + param + "': " + e.getMessage());
    }

    @Test
    void everyBadValueIsRejectedWithTheParameterName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> P.withAlpha(-5));
        assertEquals("alpha must be >= 1, got -5", e.getMessage());
        assertRejected("alpha", () -> P.withAlpha(0));
        assertRejected("beta", () -> P.withBeta(0));
        assertRejected("gamma", () -> P.withGamma(0));
        assertRejected("gamma", () -> P.withGamma(1.01));
        assertRejected("gamma", () -> P.withGamma(Double.NaN));
        assertRejected("gamma", () -> P.withGamma(Double.POSITIVE_INFINITY, GammaMode.LITERAL_COST));
        assertRejected("gamma", () -> P.withGamma(-3, GammaMode.LITERAL_COST).withGammaMode(GammaMode.CONFIDENCE));
        assertRejected("gammaMode", () -> P.withGammaMode(null));
        assertRejected("lambda", () -> P.withLambda(0));
        assertRejected("lambda", () -> P.withLambda(-0.1));
        assertRejected("lambda", () -> P.withLambda(Double.NaN));
        assertRejected("lambda", () -> P.withLambda(Double.POSITIVE_INFINITY));
        assertRejected("objective", () -> P.withObjective(null));
        assertRejected("init", () -> P.withInit(null));
        assertRejected("snapshotEvery", () -> P.withSnapshotEvery(-1));
    }

    @Test
    void literalCostAcceptsAnyFiniteGamma() {
        assertEquals(-3.0, P.withGamma(-3, GammaMode.LITERAL_COST).gamma());
        assertEquals(1.0, P.withGamma(1.0).gamma());
    }

    @Test
    void withCopiesChangeOneField() {
        MiFaceParams q = P.withAlpha(7).withBeta(3).withLambda(0.5).withSeed(9).withInit(Init.UNIFORM)
                .withObjective(Objective.MARGIN).withRecordTrajectory(true).withSnapshotEvery(2).withGamma(0.5);
        assertEquals(new MiFaceParams(7, 3, 0.5, GammaMode.CONFIDENCE, 0.5, Objective.MARGIN, Init.UNIFORM, 9, true, 2), q);
        assertEquals(5000, P.alpha(), "the original is unchanged");
    }

    @Test
    void asMapListsEveryParameterInOrder() {
        Map<String, Object> m = P.asMap();
        assertEquals(List.of("alpha", "beta", "gamma", "gammaMode", "lambda", "objective", "objectiveSymbol",
                "init", "seed", "recordTrajectory", "snapshotEvery"), List.copyOf(m.keySet()));
        assertEquals(5000, m.get("alpha"));
        assertEquals("CONFIDENCE", m.get("gammaMode"));
        assertEquals("1-p", m.get("objectiveSymbol"));
        assertThrows(UnsupportedOperationException.class, () -> m.put("alpha", 1));
    }

    @Test
    void enumsParseConfigValues() {
        assertEquals(GammaMode.LITERAL_COST, GammaMode.parse("literal-cost"));
        assertEquals(Init.MEAN, Init.parse(" mean "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.parse("noise"));
        assertTrue(e.getMessage().startsWith("init"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GammaMode.parse("x")).getMessage().startsWith("gammaMode"));
    }
}
