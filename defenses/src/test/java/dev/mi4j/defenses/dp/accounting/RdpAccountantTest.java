package dev.mi4j.defenses.dp.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The RDP accountant against the reference values published with TensorFlow Privacy's and
 * Opacus's accountants (their test suites), which is what makes an epsilon reported by mi4j
 * comparable with theirs.
 */
class RdpAccountantTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    /**
     * The short references are printed with 4 to 9 digits and are TRUNCATED, not rounded (the
     * exact 0.0021807566 is given as 0.00218075, 167.4163075 as 167.416307): each is checked to
     * one unit in its last printed decimal place.
     */
    @Test
    void rdpOfOneOrderMatchesTheShortReferences() {
        assertEquals(0.07737, SampledGaussianRdp.rdp(0.1, 2, 10, new double[] {5})[0], 1e-5);
        double[] orders = {1.5, 2.5, 5, 50, 100, INF};
        double[] want = {0.00065, 0.001085, 0.00218075, 0.023846, 167.416307, INF};
        double[] unit = {1e-5, 1e-6, 1e-8, 1e-6, 1e-6, 0};
        double[] got = SampledGaussianRdp.rdp(0.01, 2.5, 50, orders);
        for (int i = 0; i < orders.length; i++) {
            assertEquals(want[i], got[i], unit[i], "order " + orders[i]);
        }
        // q = 1: the Gaussian mechanism, alpha / (2 sigma^2), exactly
        assertEquals(0.1, SampledGaussianRdp.rdp(1, 10, 20), 0);
        // q = 0: nothing is released about anyone, at every order
        assertEquals(0.0, SampledGaussianRdp.rdp(0, 1, 7.5), 0);
        assertEquals(0.0, SampledGaussianRdp.rdp(0, 1, INF), 0);
        assertEquals(INF, SampledGaussianRdp.rdp(0.5, 1, INF));
        assertEquals(INF, SampledGaussianRdp.rdp(0.5, 0, 2), "no noise, no privacy");
    }

    /**
     * Epsilon with TF Privacy's orders and conversion, q = B/N, steps = ceil(epochs * N / B): the
     * three cases of TF Privacy's {@code compute_dp_sgd_privacy} tests (MNIST-like, large-N, and a
     * hopeless noise level). Tolerance 1e-6 relative; measured errors are printed (about 1e-13).
     */
    @Test
    void epsilonMatchesTfPrivacyReferences() {
        checkTf(60000, 150, 1.3, 15, 1e-5, 0.7242234026109595);
        checkTf(100000, 100, 1.0, 30, 1e-7, 1.4154988495444842);
        checkTf(1e8, 1024, 0.1, 10, 1e-7, 5907982.3113978775);
    }

    private static void checkTf(double n, double b, double sigma, int epochs, double delta, double want) {
        double q = b / n;
        long steps = (long) Math.ceil(epochs * n / b);
        RdpAccountant acc = new RdpAccountant(RdpOrders.tfPrivacy()).compose(q, sigma, steps);
        PrivacySpent spent = acc.spent(delta, RdpConversion.IMPROVED);
        double rel = Math.abs(spent.epsilon() - want) / want;
        System.out.printf("TF Privacy N=%.0f B=%.0f sigma=%s: epsilon %s (reference %s, relative error %.2g, order %s)%n",
                n, b, sigma, spent.epsilon(), want, rel, spent.order());
        assertTrue(rel <= 1e-6, "epsilon " + spent.epsilon() + " vs " + want);
        assertEquals(delta, spent.delta());
    }

    /** Opacus's conversion over its default orders: sigma 1.5, q 0.04, 2250 steps, delta 1e-5. Tolerance 1e-6 relative. */
    @Test
    void epsilonMatchesTheOpacusReference() {
        double want = 7.32911117143;
        PrivacySpent spent = new RdpAccountant(RdpOrders.opacus()).compose(0.04, 1.5, 2250)
                .spent(1e-5, RdpConversion.OPACUS);
        double rel = Math.abs(spent.epsilon() - want) / want;
        System.out.printf("Opacus: epsilon %s (reference %s, relative error %.2g, order %s)%n", spent.epsilon(), want,
                rel, spent.order());
        assertTrue(rel <= 1e-6, "epsilon " + spent.epsilon() + " vs " + want);
        // the per-order formulas are the same (log1p(-1/a) = log((a-1)/a)): away from the edges they agree
        double improved = new RdpAccountant(RdpOrders.opacus()).compose(0.04, 1.5, 2250)
                .spent(1e-5, RdpConversion.IMPROVED).epsilon();
        assertEquals(spent.epsilon(), improved, 1e-12 * improved);
    }

    /** Where the conversions part: orders up to 1.01, the KL shortcut to 0, and the clamp at 0. */
    @Test
    void conversionsDifferOnlyAtTheEdges() {
        // order 1.005 only: TF Privacy refuses to use it (infinite), Opacus evaluates its formula
        assertEquals(INF, RdpConversion.IMPROVED.toEpsilon(new double[] {1.005}, new double[] {1e-4}, 1e-5).epsilon());
        assertTrue(Double.isFinite(RdpConversion.OPACUS.toEpsilon(new double[] {1.005}, new double[] {1e-4}, 1e-5)
                .epsilon()));
        // tiny RDP with a large delta: delta^2 + expm1(-r) >= 0, so TF Privacy gives 0 and Opacus a negative bound
        PrivacySpent tf = RdpConversion.IMPROVED.toEpsilon(new double[] {2, 4}, new double[] {1e-6, 2e-6}, 0.5);
        PrivacySpent op = RdpConversion.OPACUS.toEpsilon(new double[] {2, 4}, new double[] {1e-6, 2e-6}, 0.5);
        assertEquals(0.0, tf.epsilon());
        assertTrue(op.epsilon() < 0, "opacus does not clamp: " + op.epsilon());
        // infinite RDP everywhere: no finite guarantee
        assertEquals(INF, RdpConversion.OPACUS.toEpsilon(new double[] {2, 3}, new double[] {INF, INF}, 1e-5).epsilon());
    }

    @Test
    void orderSetsAreTheLibrariesDefaults() {
        double[] tf = RdpOrders.tfPrivacy();
        assertEquals(10 + 59 + 3, tf.length);
        assertEquals(1.25, tf[0]);
        assertEquals(5, tf[10]);
        assertEquals(512, tf[tf.length - 1]);
        double[] op = RdpOrders.opacus();
        assertEquals(99 + 52, op.length);
        assertEquals(1.1, op[0]);
        assertEquals(10.9, op[98]);
        assertEquals(63, op[op.length - 1]);
    }

    /** Steps compose additively, whether added at once or one by one. */
    @Test
    void compositionAddsUp() {
        RdpAccountant once = new RdpAccountant(RdpOrders.tfPrivacy()).compose(0.01, 1.1, 300);
        RdpAccountant stepwise = new RdpAccountant(RdpOrders.tfPrivacy());
        for (int i = 0; i < 300; i++) {
            stepwise.compose(0.01, 1.1, 1);
        }
        assertEquals(300, stepwise.steps());
        assertEquals(once.spent(1e-5, RdpConversion.IMPROVED).epsilon(),
                stepwise.spent(1e-5, RdpConversion.IMPROVED).epsilon(), 1e-9);
        assertEquals(0.0, new RdpAccountant(RdpOrders.tfPrivacy()).spent(1e-5, RdpConversion.IMPROVED).epsilon(),
                "nothing spent before the first step");
    }

    /** log erfc against mpmath (30 digits), across the series, the continued fraction and the deep tail. */
    @Test
    void logErfcIsAccurateEverywhere() {
        double[][] ref = {{-3, 0.69313613525044681032}, {-0.5, 0.41903914777555958036}, {0, 0},
                {0.3, -0.3984300514400852726}, {1, -1.8496055099332482486}, {1.9, -4.9323458627802689327},
                {2, -5.3649412646166375745}, {2.5, -7.8068152727272643589}, {5, -27.200889545537434422},
                {10, -102.87988902484488857}, {27, -732.86888650789741098}, {40, -1604.2615566532735557},
                {100, -10005.177585122664333}};
        for (double[] r : ref) {
            assertEquals(r[1], LogMath.logErfc(r[0]), 1e-13 * Math.max(1, Math.abs(r[1])), "x = " + r[0]);
        }
    }

    /** The calibrated sigma meets the target, and a slightly smaller one does not. */
    @Test
    void calibrationFindsTheSmallestSufficientNoise() {
        double[] orders = RdpOrders.tfPrivacy();
        double q = 256 / 60000.0;
        long steps = (long) Math.ceil(10 * 60000 / 256.0);
        for (double target : new double[] {0.5, 1, 4, 8}) {
            double sigma = NoiseCalibration.noiseMultiplier(target, 1e-5, q, steps, orders, RdpConversion.IMPROVED, 1e-6);
            assertTrue(NoiseCalibration.epsilon(sigma, 1e-5, q, steps, orders, RdpConversion.IMPROVED) <= target);
            assertTrue(NoiseCalibration.epsilon(sigma * (1 - 1e-5), 1e-5, q, steps, orders, RdpConversion.IMPROVED)
                    > target, "sigma " + sigma + " is not the smallest for epsilon " + target);
        }
        // the MNIST reference run's own sigma is recovered from its epsilon
        double sigma = NoiseCalibration.noiseMultiplier(0.7242234026109595, 1e-5, 150 / 60000.0,
                (long) Math.ceil(15 * 60000 / 150.0), orders, RdpConversion.IMPROVED, 1e-9);
        assertEquals(1.3, sigma, 1e-6);
        var e = assertThrows(IllegalArgumentException.class, () -> NoiseCalibration.noiseMultiplier(1e-9, 1e-5, 1,
                1000, orders, RdpConversion.IMPROVED, 1e-6));
        assertTrue(e.getMessage().startsWith("epsilon"), e.getMessage());
    }

    @Test
    void refusesBadArgumentsNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(1.5, 1, 2))
                .getMessage().startsWith("q"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.5, -1, 2))
                .getMessage().startsWith("sigma"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.5, 1, 1))
                .getMessage().startsWith("order"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RdpConversion.IMPROVED.toEpsilon(new double[] {2}, new double[] {1}, 0)).getMessage()
                .startsWith("delta"));
    }
}
