package dev.mi4j.experiments.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.metrics.TargetMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented risk rule, case by case, and the chance levels the verdict reports beside its thresholds. */
class RiskRuleTest {

    private static TargetMetrics m(boolean top1, boolean top5, Boolean lineup, double ssim) {
        return new TargetMetrics(3, "s4", 0, 0.1, 10, ssim, 0.1, 10, ssim, top1 ? 3 : 7, top1, top5, 0.5, 100, lineup);
    }

    @Test
    void perIdentity() {
        RiskRule r = RiskRule.DEFAULTS;
        assertEquals(Risk.HIGH, r.of(m(true, true, true, 0.01), 40), "recognised and nearest in the lineup, any SSIM");
        assertEquals(Risk.MEDIUM, r.of(m(true, true, false, 0.9), 40), "recognised, lineup lost");
        assertEquals(Risk.MEDIUM, r.of(m(false, false, true, 0.0), 40), "lineup won only");
        assertEquals(Risk.MEDIUM, r.of(m(false, true, false, 0.0), 40), "top-5 counts with 40 identities");
        assertEquals(Risk.LOW, r.of(m(false, true, false, 0.0), 5), "top-5 says nothing with 5 identities");
        assertEquals(Risk.LOW, r.of(m(false, false, false, 0.9), 40), "pixels alone are not recognition");
        assertEquals(Risk.LOW, r.of(m(false, false, null, 0.9), 40));
        RiskRule strict = new RiskRule(0.3, null, null);
        assertEquals(Risk.MEDIUM, strict.of(m(true, true, true, 0.29), 40), "highSsim adds a pixel test to HIGH");
        assertEquals(Risk.HIGH, strict.of(m(true, true, true, 0.3), 40));
        TargetMetrics noEvaluator = new TargetMetrics(3, "s4", 0, 0.1, 10, 0.5, 0.1, 10, 0.5, null, false, false, Double.NaN,
                Double.NaN, null);
        assertThrows(IllegalArgumentException.class, () -> r.of(noEvaluator, 40));
    }

    @Test
    void overallAgainstTheThresholds() {
        RiskRule r = new RiskRule(null, 0.2, 0.5);
        assertEquals(Risk.HIGH, r.overall(List.of(Risk.HIGH, Risk.LOW, Risk.LOW, Risk.LOW, Risk.LOW)), "1 in 5 is 0.2");
        assertEquals(Risk.LOW, r.overall(List.of(Risk.HIGH, Risk.MEDIUM, Risk.MEDIUM, Risk.MEDIUM, Risk.LOW, Risk.LOW,
                Risk.LOW, Risk.LOW, Risk.LOW, Risk.LOW)), "HIGH 0.1 < 0.2 and MEDIUM or above 0.4 < 0.5");
        assertEquals(Risk.MEDIUM, r.overall(List.of(Risk.HIGH, Risk.MEDIUM, Risk.MEDIUM, Risk.MEDIUM, Risk.MEDIUM, Risk.LOW,
                Risk.LOW, Risk.LOW, Risk.LOW, Risk.LOW)), "HIGH 0.1 < 0.2, MEDIUM or above 0.5");
        assertEquals(Risk.LOW, r.overall(List.of(Risk.MEDIUM, Risk.LOW, Risk.LOW)));
        assertEquals(Risk.MEDIUM, r.overall(List.of(Risk.MEDIUM, Risk.MEDIUM, Risk.LOW, Risk.LOW)), "0.5 reaches 0.5");
        assertEquals(Risk.LOW, r.overall(List.of()));
        assertEquals(0.5, RiskRule.share(List.of(Risk.HIGH, Risk.MEDIUM, Risk.LOW, Risk.LOW), Risk.MEDIUM), 0);
    }

    @Test
    void chanceLevels() {
        // 40 identities: lineup 1/5, top-5 5/40, independent: 1 - 0.8 * 0.875.
        assertEquals(0.3, RiskRule.chanceMediumOrAbove(40), 1e-12);
        assertEquals(1.0 / 40 / 5, RiskRule.chanceHigh(40), 1e-12);
        // 5 identities: lineup 1/5, top-1 1/5.
        assertEquals(1 - 0.8 * 0.8, RiskRule.chanceMediumOrAbove(5), 1e-12);
        assertTrue(RiskRule.DEFAULTS.overallMedium() > RiskRule.chanceMediumOrAbove(40), "the default stays above chance");
    }

    @Test
    void thresholdsOutOfRangeAreRefusedNamingTheKey() {
        Mi4jException e = assertThrows(Mi4jException.class, () -> new RiskRule(null, 1.5, null));
        assertTrue(e.getMessage().startsWith("risk.overallHigh"), e.getMessage());
        assertTrue(assertThrows(Mi4jException.class, () -> new RiskRule(-0.1, null, null)).getMessage().startsWith("risk.highSsim"));
    }
}
