package dev.mi4j.defenses.dp.accounting;

/**
 * Log-space arithmetic for the RDP computation: sums and differences of numbers held as their
 * logarithms (the terms of A_alpha span hundreds of orders of magnitude), and log(erfc(x)) without
 * underflow for large x.
 */
final class LogMath {

    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

    private LogMath() {
    }

    /** log(exp(x) + exp(y)); -inf stands for 0. */
    static double logAdd(double x, double y) {
        double a = Math.min(x, y);
        double b = Math.max(x, y);
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        return Math.log1p(Math.exp(a - b)) + b;
    }

    /** log(exp(x) - exp(y)) for x &gt;= y; -inf stands for 0. */
    static double logSub(double x, double y) {
        if (x < y) {
            throw new IllegalStateException("log-space subtraction would be negative: " + x + " < " + y);
        }
        if (y == Double.NEGATIVE_INFINITY) {
            return x;
        }
        if (x == y) {
            return Double.NEGATIVE_INFINITY;
        }
        double e = Math.expm1(x - y);
        // beyond ~709 expm1 overflows; there log(expm1(d)) = d to double precision anyway
        return Double.isInfinite(e) ? x : Math.log(e) + y;
    }

    /**
     * log(erfc(x)), accurate to about 1e-14 relative over the whole line: below 2 from the
     * power series of erf (all terms positive: erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} /
     * (2n+1)!!), from 2 on from Laplace's continued fraction erfc(x) = e^{-x^2}/sqrt(pi) *
     * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) evaluated with Lentz's method, kept in log space so
     * it never underflows; negative x by erfc(x) = 2 - erfc(-x).
     */
    static double logErfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (x < 0) {
            return Math.log(2 - Math.exp(logErfc(-x)));
        }
        if (x < 2) {
            return Math.log1p(-erfSeries(x));
        }
        return -x * x - LOG_SQRT_PI - Math.log(laplaceContinuedFraction(x));
    }

    /** erf(x) for 0 &lt;= x &lt; 2 (positive-term series). */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
    }

    /** f = x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), so erfc(x) = e^{-x^2}/(sqrt(pi) f); x &gt;= 2. */
    private static double laplaceContinuedFraction(double x) {
        final double tiny = 1e-300;
        double f = x;
        double c = f;
        double d = 0;
        for (int n = 1; n < 5000; n++) {
            double a = 0.5 * n;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            d = 1 / d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                return f;
            }
        }
        return f;
    }
}
