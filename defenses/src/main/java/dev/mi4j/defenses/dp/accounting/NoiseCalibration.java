package dev.mi4j.defenses.dp.accounting;

/**
 * The noise multiplier that makes a planned DP-SGD run meet a target epsilon: epsilon falls as
 * sigma grows, so a bisection finds the smallest sigma (to a relative tolerance) whose epsilon
 * is at most the target. The answer errs on the safe side: the sigma returned always meets the
 * target (Opacus's {@code get_noise_multiplier} works the same way).
 */
public final class NoiseCalibration {

    /** Beyond this the budget is hopeless for any useful training (Opacus gives up at 2000 too). */
    static final double MAX_SIGMA = 2000;

    private NoiseCalibration() {
    }

    /**
     * @param targetEpsilon epsilon to meet (&gt; 0)
     * @param delta         delta, in (0, 1)
     * @param q             sampling rate, in (0, 1]
     * @param steps         number of steps (&gt;= 1)
     * @param orders        Renyi orders
     * @param conversion    RDP to (epsilon, delta) conversion
     * @param tolerance     relative width of the final bracket on sigma (e.g. 1e-6)
     * @return sigma with {@code epsilon(sigma) <= targetEpsilon}, within {@code tolerance} of the smallest such
     * @throws IllegalArgumentException when even sigma = 2000 does not meet the target
     */
    public static double noiseMultiplier(double targetEpsilon, double delta, double q, long steps, double[] orders,
                                         RdpConversion conversion, double tolerance) {
        if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
            throw new IllegalArgumentException("epsilon: target must be finite and > 0, got " + targetEpsilon);
        }
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("q: sampling rate must be in (0, 1], got " + q);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps: must be >= 1, got " + steps);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance: must be in (0, 1), got " + tolerance);
        }
        double hi = 1;
        while (epsilon(hi, delta, q, steps, orders, conversion) > targetEpsilon) {
            hi *= 2;
            if (hi > MAX_SIGMA) {
                throw new IllegalArgumentException("epsilon: target " + targetEpsilon + " at delta " + delta
                        + " is out of reach (sigma > " + MAX_SIGMA + " for q=" + q + " and " + steps + " steps)");
            }
        }
        double lo = hi == 1 ? 0 : hi / 2;
        while (hi - lo > tolerance * hi) {
            double mid = 0.5 * (lo + hi);
            if (mid > 0 && epsilon(mid, delta, q, steps, orders, conversion) <= targetEpsilon) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** Epsilon at {@code delta} of {@code steps} steps with rate q and noise multiplier sigma. */
    public static double epsilon(double sigma, double delta, double q, long steps, double[] orders,
                                 RdpConversion conversion) {
        return conversion.toEpsilon(orders, SampledGaussianRdp.rdp(q, sigma, steps, orders), delta).epsilon();
    }
}
