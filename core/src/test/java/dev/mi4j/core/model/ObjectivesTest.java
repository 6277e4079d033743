package dev.mi4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ObjectivesTest {

    private static double[] randomLogits(long seed, int k) {
        Random r = new Random(seed);
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            z[j] = 3 * r.nextGaussian();
        }
        return z;
    }

    @ParameterizedTest
    @EnumSource(Objective.class)
    void dLogitsMatchCentralDifferences(Objective objective) {
        for (long seed = 0; seed < 5; seed++) {
            double[] z = randomLogits(seed, 6);
            int t = (int) (seed % 6);
            double[] dz = new double[6];
            double c = Objectives.cost(objective, z, Objectives.softmax(z), t, dz);
            assertEquals(c, Objectives.cost(objective, z, t), 0.0, "the two cost methods agree");
            double h = 1e-6;
            for (int j = 0; j < z.length; j++) {
                double[] plus = z.clone();
                double[] minus = z.clone();
                plus[j] += h;
                minus[j] -= h;
                double fd = (Objectives.cost(objective, plus, t) - Objectives.cost(objective, minus, t)) / (2 * h);
                assertEquals(fd, dz[j], 1e-8, objective + " seed " + seed + " class " + j);
            }
        }
    }

    @Test
    void costsAreTheirDefinitions() {
        double[] z = {1.0, 2.0, 0.5};
        double[] p = Objectives.softmax(z);
        double lse = Math.log(Math.exp(1.0) + Math.exp(2.0) + Math.exp(0.5));
        assertEquals(1, p[0] + p[1] + p[2], 1e-15);
        assertEquals(Math.exp(2.0 - lse), p[1], 1e-15);
        assertEquals(1 - p[0], Objectives.cost(Objective.ONE_MINUS_P, z, 0), 1e-15);
        assertEquals(lse - 1.0, Objectives.cost(Objective.NEG_LOG_P, z, 0), 1e-15);
        assertEquals(-1.0, Objectives.cost(Objective.NEG_LOGIT, z, 0), 0);
        assertEquals(2.0 - 1.0, Objectives.cost(Objective.MARGIN, z, 0), 0);
        assertEquals(1.0 - 2.0, Objectives.cost(Objective.MARGIN, z, 1), 0);
        assertEquals(0, Objectives.rival(new double[] {3, 3, 3}, 1), "first on ties");
        // No overflow: logsumexp subtracts the maximum (exp(z - lse) then rounds at the ulp of 1000, ~1e-13).
        double[] big = Objectives.softmax(new double[] {1000, 1000});
        assertArrayEquals(new double[] {0.5, 0.5}, big, 1e-12);
    }

    @Test
    void evaluateIsTheRowwiseCost() {
        double[][] z = {randomLogits(1, 4), randomLogits(2, 4)};
        int[] t = {3, 0};
        Objectives.Evaluation e = Objectives.evaluate(Objective.MARGIN, z, t);
        for (int i = 0; i < 2; i++) {
            assertEquals(Objectives.cost(Objective.MARGIN, z[i], t[i]), e.cost()[i], 0);
            assertArrayEquals(Objectives.softmax(z[i]), e.probabilities()[i], 0);
            for (int j = 0; j < 4; j++) {
                assertEquals(e.dLogits()[i][j], e.dLogitsFlat()[i * 4 + j], 0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Objectives.evaluate(Objective.MARGIN, z, new int[] {0}));
    }

    @Test
    void observedCostsFromUnalteredScoresEqualTheLogitCosts() {
        double[] z = randomLogits(7, 5);
        double[] p = Objectives.softmax(z);
        for (int t = 0; t < 5; t++) {
            assertEquals(Objectives.cost(Objective.ONE_MINUS_P, z, t), Objectives.observedCost(Objective.ONE_MINUS_P, p, t), 1e-15);
            assertEquals(Objectives.cost(Objective.NEG_LOG_P, z, t), Objectives.observedCost(Objective.NEG_LOG_P, p, t), 1e-12);
            assertEquals(Objectives.cost(Objective.MARGIN, z, t), Objectives.observedCost(Objective.MARGIN, p, t), 1e-12,
                    "log p shifts every logit of a row by the same constant");
            assertEquals(Objectives.observedCost(Objective.NEG_LOG_P, p, t), Objectives.observedCost(Objective.NEG_LOGIT, p, t),
                    0, "from scores alone NEG_LOGIT is NEG_LOG_P");
        }
    }

    @Test
    void observedCostsAreFlooredAndChecked() {
        double zero = Objectives.observedCost(Objective.NEG_LOG_P, new double[] {1, 0}, 1);
        assertEquals(-Math.log(Objectives.PROBABILITY_FLOOR), zero, 1e-12);
        assertTrue(Double.isFinite(Objectives.observedCost(Objective.MARGIN, new double[] {0, 1}, 0)));
        assertEquals(-Math.log(0.5), Objectives.observedCost(Objective.MARGIN, new double[] {0.5}, 0), 1e-15,
                "one class: margin against nothing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Objectives.observedCost(Objective.ONE_MINUS_P, new double[] {0.5, 0.5}, 2));
        assertTrue(e.getMessage().startsWith("target 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Objectives.cost(Objective.MARGIN, new double[] {1.0}, 0));
        assertThrows(IllegalArgumentException.class, () -> Objectives.cost(Objective.NEG_LOG_P, new double[] {1.0, 2.0}, -1));
    }
}
