package dev.mi4j.defenses.dp.accounting;

/**
 * Conversions from RDP at several orders to (epsilon, delta)-DP: each order gives an epsilon, the
 * smallest is kept. The two libraries' per-order formulas are algebraically the same,
 * {@code log1p(-1/a) = log((a-1)/a)}; they differ at the edges only: TF Privacy skips orders up to
 * 1.01 (numerically unstable there), returns 0 outright when the KL bound already gives delta, and
 * clamps at 0; Opacus does none of these. With the default order sets (Opacus's smallest is 1.1)
 * they agree to rounding on realistic budgets; a reported epsilon still says which it used.
 */
public enum RdpConversion {

    /**
     * TensorFlow Privacy's (and Google's dp_accounting's) conversion: Proposition 12 of Canonne,
     * Kamath &amp; Steinke (2020), Eq. 20 of Asoodeh et al. (2020):
     * {@code eps = r + log1p(-1/a) - log(delta * a) / (a - 1)} for orders a &gt; 1.01 (infinite
     * below, where it is numerically unstable), 0 when {@code delta^2 + expm1(-r) >= 0}; the
     * result is clamped at 0.
     */
    IMPROVED {
        @Override
        double epsilon(double order, double rdp, double delta) {
            if (delta * delta + Math.expm1(-rdp) >= 0) {
                return 0;
            }
            if (order > 1.01) {
                return rdp + Math.log1p(-1 / order) - Math.log(delta * order) / (order - 1);
            }
            return Double.POSITIVE_INFINITY;
        }
    },

    /**
     * Opacus's conversion (Balle et al. 2020, Theorem 21):
     * {@code eps = r - (log(delta) + log(a)) / (a - 1) + log((a - 1) / a)}, not clamped.
     */
    OPACUS {
        @Override
        double epsilon(double order, double rdp, double delta) {
            return rdp - (Math.log(delta) + Math.log(order)) / (order - 1) + Math.log((order - 1) / order);
        }
    };

    abstract double epsilon(double order, double rdp, double delta);

    /**
     * The best (epsilon, delta) guarantee over {@code orders}.
     *
     * @param orders Renyi orders (&gt; 1; infinity allowed, it never wins)
     * @param rdp    RDP at each order (&gt;= 0, may be infinite)
     * @param delta  target delta, in (0, 1)
     */
    public PrivacySpent toEpsilon(double[] orders, double[] rdp, double delta) {
        if (orders == null || rdp == null || orders.length != rdp.length || orders.length == 0) {
            throw new IllegalArgumentException("orders and rdp: must be non-empty and of the same length");
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta: must be in (0, 1), got " + delta);
        }
        double best = Double.NaN;
        double bestOrder = Double.NaN;
        for (int i = 0; i < orders.length; i++) {
            SampledGaussianRdp.checkOrder(orders[i]);
            if (!(rdp[i] >= 0)) {
                throw new IllegalArgumentException("rdp: must be >= 0, got " + rdp[i] + " at order " + orders[i]);
            }
            if (Double.isInfinite(orders[i])) {
                continue; // the bounds at order infinity are infinite or undefined
            }
            double e = epsilon(orders[i], rdp[i], delta);
            if (!Double.isNaN(e) && (Double.isNaN(best) || e < best)) {
                best = e;
                bestOrder = orders[i];
            }
        }
        if (Double.isNaN(best) || Double.isInfinite(best)) {
            return new PrivacySpent(Double.POSITIVE_INFINITY, delta, Double.NaN);
        }
        return new PrivacySpent(this == IMPROVED ? Math.max(0, best) : best, delta, bestOrder);
    }
}
