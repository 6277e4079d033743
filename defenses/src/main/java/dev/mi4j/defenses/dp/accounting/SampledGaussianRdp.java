package dev.mi4j.defenses.dp.accounting;

/**
 * Renyi differential privacy of the sampled Gaussian mechanism (SGM): each step includes every
 * example independently with probability q and adds N(0, sigma^2) noise to the sum of
 * sensitivity-1 contributions (DP-SGD with per-example clipping to C and noise sigma * C).
 * Mironov, Talwar &amp; Zhang, "Renyi Differential Privacy of the Sampled Gaussian Mechanism"
 * (2019), Section 3.3; computed the way TensorFlow Privacy's {@code rdp_accountant.py} and
 * Opacus's {@code analysis/rdp.py} compute it, so that budgets agree with theirs:
 * <ul>
 *   <li>RDP at order alpha is {@code log(A_alpha) / (alpha - 1)} per step, and steps compose by
 *       adding;</li>
 *   <li>integer alpha: {@code A_alpha = sum_{i=0..alpha} C(alpha, i) q^i (1-q)^(alpha-i)
 *       exp((i^2 - i) / (2 sigma^2))}, summed in log space;</li>
 *   <li>fractional alpha: the two series over the integrals on either side of
 *       {@code z0 = sigma^2 log(1/q - 1) + 1/2}, with generalised binomial coefficients (some
 *       negative, hence log-space subtraction) and erfc tails, until both terms drop below e^-30;</li>
 *   <li>q = 0: 0; sigma = 0: infinite; q = 1 (no subsampling, the Gaussian mechanism):
 *       {@code alpha / (2 sigma^2)}; alpha = infinity: infinite.</li>
 * </ul>
 */
public final class SampledGaussianRdp {

    private SampledGaussianRdp() {
    }

    /**
     * RDP of one step at {@code order}.
     *
     * @param q     sampling rate, in [0, 1]
     * @param sigma noise multiplier (noise standard deviation over the L2 sensitivity), &gt;= 0
     * @param order Renyi order alpha &gt; 1, may be {@link Double#POSITIVE_INFINITY}
     */
    public static double rdp(double q, double sigma, double order) {
        check(q, sigma);
        checkOrder(order);
        if (q == 0) {
            return 0;
        }
        if (sigma == 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return order / (2 * sigma * sigma);
        }
        if (Double.isInfinite(order)) {
            return Double.POSITIVE_INFINITY;
        }
        double logA = order == Math.rint(order) && order <= Integer.MAX_VALUE
                ? logAInteger(q, sigma, (int) order) : logAFractional(q, sigma, order);
        return logA / (order - 1);
    }

    /** RDP of {@code steps} steps at each of {@code orders} (composition: steps times one step's). */
    public static double[] rdp(double q, double sigma, long steps, double[] orders) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps: must be >= 0, got " + steps);
        }
        if (orders == null || orders.length == 0) {
            throw new IllegalArgumentException("orders: must not be empty");
        }
        double[] r = new double[orders.length];
        for (int i = 0; i < orders.length; i++) {
            double one = rdp(q, sigma, orders[i]);
            r[i] = steps == 0 ? 0 : one * steps;
        }
        return r;
    }

    static void check(double q, double sigma) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q: sampling rate must be in [0, 1], got " + q);
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma: noise multiplier must be finite and >= 0, got " + sigma);
        }
    }

    static void checkOrder(double order) {
        if (!(order > 1)) {
            throw new IllegalArgumentException("order: Renyi orders must be > 1, got " + order);
        }
    }

    /** log(A_alpha) for integer alpha, 0 &lt; q &lt; 1: the binomial expansion in log space. */
    private static double logAInteger(double q, double sigma, int alpha) {
        double logQ = Math.log(q);
        double log1mQ = Math.log(1 - q);
        double twoSigma2 = 2 * sigma * sigma;
        double logA = Double.NEGATIVE_INFINITY;
        double logBinom = 0; // log C(alpha, 0)
        for (int i = 0; i <= alpha; i++) {
            if (i > 0) {
                logBinom += Math.log(alpha - i + 1) - Math.log(i);
            }
            double s = logBinom + i * logQ + (alpha - i) * log1mQ + ((double) i * i - i) / twoSigma2;
            logA = LogMath.logAdd(logA, s);
        }
        return logA;
    }

    /** log(A_alpha) for fractional alpha, 0 &lt; q &lt; 1: the two series of Mironov et al. (2019). */
    private static double logAFractional(double q, double sigma, double alpha) {
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double logQ = Math.log(q);
        double log1mQ = Math.log(1 - q);
        double twoSigma2 = 2 * sigma * sigma;
        double sqrt2Sigma = Math.sqrt(2) * sigma;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double logHalf = Math.log(0.5);
        double coef = 1; // generalised binomial C(alpha, i), sign included
        for (int i = 0; ; i++) {
            if (i > 0) {
                coef *= (alpha - i + 1) / i;
            }
            double logCoef = Math.log(Math.abs(coef));
            double j = alpha - i;
            double logT0 = logCoef + i * logQ + j * log1mQ;
            double logT1 = logCoef + j * logQ + i * log1mQ;
            double logE0 = logHalf + LogMath.logErfc((i - z0) / sqrt2Sigma);
            double logE1 = logHalf + LogMath.logErfc((z0 - j) / sqrt2Sigma);
            double logS0 = logT0 + ((double) i * i - i) / twoSigma2 + logE0;
            double logS1 = logT1 + (j * j - j) / twoSigma2 + logE1;
            if (coef > 0) {
                logA0 = LogMath.logAdd(logA0, logS0);
                logA1 = LogMath.logAdd(logA1, logS1);
            } else {
                logA0 = LogMath.logSub(logA0, logS0);
                logA1 = LogMath.logSub(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < -30) {
                break;
            }
            if (i > 100_000) {
                throw new IllegalStateException("RDP series did not converge for q=" + q + ", sigma=" + sigma
                        + ", order=" + alpha);
            }
        }
        return LogMath.logAdd(logA0, logA1);
    }
}
