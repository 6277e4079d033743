package dev.mi4j.experiments.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mi4j.attacks.attribute.InferenceScores;
import org.junit.jupiter.api.Test;

/** The tabular audit's rule: the exact McNemar test and which threshold gives which level. */
class AttributeRiskTest {

    @Test
    void mcnemarOneSidedIsTheBinomialTail() {
        assertEquals(1.0, AttributeRisk.mcnemarOneSided(0, 0), 0);
        assertEquals(Math.pow(0.5, 10), AttributeRisk.mcnemarOneSided(10, 0), 1e-15);
        // P[X >= 5], X ~ Bin(10, 1/2) = 638/1024
        assertEquals(638.0 / 1024, AttributeRisk.mcnemarOneSided(5, 5), 1e-12);
        assertEquals(1.0, AttributeRisk.mcnemarOneSided(0, 7), 1e-12);
    }

    /** 100 records, truth 1 for the first {@code positives}; the prior says 0 everywhere. */
    private static AttributeRisk.Judgement judge(int positives, int found, int falseAlarms) {
        int n = 100;
        int[] truth = new int[n];
        int[] guess = new int[n];
        int[] prior = new int[n];
        for (int i = 0; i < positives; i++) {
            truth[i] = 1;
        }
        for (int i = 0; i < found; i++) {
            guess[i] = 1;
        }
        for (int i = positives; i < positives + falseAlarms; i++) {
            guess[i] = 1;
        }
        return AttributeRisk.judge(AttributeAuditConfig.defaults(), InferenceScores.of(truth, guess, 1),
                InferenceScores.of(truth, prior, 1), truth, guess, prior);
    }

    @Test
    void levelsFollowTheDocumentedThresholds() {
        // 8 found, none wrong: gain 0.08, p = 2^-8: HIGH by gain.
        AttributeRisk.Judgement j = judge(20, 8, 0);
        assertEquals(Risk.HIGH, j.risk());
        assertEquals(0.08, j.gain(), 1e-12);
        // 6 found, 3 false alarms: gain 0.03 (p = P[X >= 6 | 9] = 0.254, not significant); precision 0.67 -> MEDIUM.
        j = judge(20, 6, 3);
        assertEquals(Risk.MEDIUM, j.risk(), j.because());
        // 4 found, none wrong: precision 1 but fewer than 5 exposed, gain 0.04 at p = 1/16 > 0.05 -> LOW.
        j = judge(20, 4, 0);
        assertEquals(Risk.LOW, j.risk(), j.because());
        // 5 found, 1 false alarm: precision 0.83 >= 0.75 with 5 exposed -> HIGH by exposure.
        j = judge(20, 5, 1);
        assertEquals(Risk.HIGH, j.risk(), j.because());
        assertEquals(Risk.LOW, judge(20, 0, 0).risk());
    }
}
