package dev.mi4j.attacks.gmi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.attacks.StopReason;
import dev.mi4j.attacks.blackbox.EstimatedGradientClassifier;
import dev.mi4j.attacks.blackbox.NesEstimator;
import dev.mi4j.attacks.blackbox.QueryBudget;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.defenses.output.OutputPolicies;
import dev.mi4j.defenses.output.PolicyClassifier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Black-box GMI: the identity term's image gradient estimated by NES from confidence queries
 * (the attacker's view), the generator and discriminator the attacker's own. Queries counted;
 * a budget stops every row with its current code.
 */
class GmiBlackBoxTest {

    @Test
    void queriesAreCountedAndTheBudgetStopsTheSearch() {
        Gan gan = GmiFixtures.gan(DataType.FLOAT);
        NetworkClassifier target = GmiFixtures.target(DataType.FLOAT);
        int pairs = 4;
        EstimatedGradientClassifier view = new EstimatedGradientClassifier(
                new PolicyClassifier(target, OutputPolicies.identity()), new NesEstimator(pairs, 0.01, 3), 64,
                QueryBudget.unlimited());
        GmiParams p = new GmiParams(3, 100, 1, 0.02, 0.9, 1, 2, GmiParams.Reduction.MEAN, 1L);
        InversionResult r = new Gmi(view, gan, p).invert(new int[] {0, 2});
        int rows = 2 * 2;
        long expected = 3L * rows * (1 + 2 * pairs) + rows;   // 3 estimates, then the final predict
        assertEquals(expected, r.totalQueries());
        assertEquals(expected, view.queryCount());
        for (Reconstruction rec : r.reconstructions()) {
            assertEquals(StopReason.MAX_ITERATIONS, rec.stopReason());
            assertEquals(expected / 2, rec.queries());
        }

        // A budget of two estimates: the third is refused before anything is sent; the final predict still fits.
        // (The budget counts the model's own query count: start it from zero.)
        target.resetQueryCount();
        EstimatedGradientClassifier limited = new EstimatedGradientClassifier(
                new PolicyClassifier(target, OutputPolicies.identity()), new NesEstimator(pairs, 0.01, 3), 64,
                new QueryBudget(2L * rows * (1 + 2 * pairs) + rows));
        InversionResult b = new Gmi(limited, gan, p).invert(new int[] {0, 2});
        assertEquals(2L * rows * (1 + 2 * pairs) + rows, b.totalQueries());
        for (Reconstruction rec : b.reconstructions()) {
            assertEquals(StopReason.QUERY_BUDGET, rec.stopReason());
            assertEquals(2, rec.iterations());
            assertTrue(Double.isFinite(rec.bestPLabel()));
        }
    }
}
