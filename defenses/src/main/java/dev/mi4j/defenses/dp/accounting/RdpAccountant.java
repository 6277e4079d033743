package dev.mi4j.defenses.dp.accounting;

import java.util.Arrays;

/**
 * Counts the privacy spent by a run of sampled Gaussian steps: RDP at a fixed set of orders,
 * added up as steps are taken (steps with different q or sigma compose the same way), converted
 * to epsilon at a delta on request. Not thread-safe.
 */
public final class RdpAccountant {

    private final double[] orders;
    private final double[] rdp;
    private long steps;

    /** An accountant over {@code orders} (each &gt; 1), nothing spent yet. */
    public RdpAccountant(double[] orders) {
        if (orders == null || orders.length == 0) {
            throw new IllegalArgumentException("orders: must not be empty");
        }
        for (double o : orders) {
            SampledGaussianRdp.checkOrder(o);
        }
        this.orders = orders.clone();
        this.rdp = new double[orders.length];
    }

    /** Adds {@code n} steps of the sampled Gaussian mechanism with rate {@code q} and noise multiplier {@code sigma}. */
    public RdpAccountant compose(double q, double sigma, long n) {
        double[] r = SampledGaussianRdp.rdp(q, sigma, n, orders);
        for (int i = 0; i < r.length; i++) {
            rdp[i] += r[i];
        }
        steps += n;
        return this;
    }

    /** Steps composed so far. */
    public long steps() {
        return steps;
    }

    /** The orders. */
    public double[] orders() {
        return orders.clone();
    }

    /** RDP spent so far at each order. */
    public double[] rdp() {
        return rdp.clone();
    }

    /** The (epsilon, delta) guarantee of the steps so far. */
    public PrivacySpent spent(double delta, RdpConversion conversion) {
        return conversion.toEpsilon(orders, rdp, delta);
    }

    @Override
    public String toString() {
        return "RdpAccountant[steps=" + steps + ", orders=" + Arrays.toString(orders) + "]";
    }
}
