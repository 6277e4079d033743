package dev.mi4j.defenses.dp.accounting;

import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/** The Renyi orders the two reference libraries evaluate by default. */
public final class RdpOrders {

    private RdpOrders() {
    }

    /** TF Privacy's: 1.25 ... 4.5, 5 ... 63, 128, 256, 512. */
    public static double[] tfPrivacy() {
        return DoubleStream.concat(DoubleStream.concat(
                DoubleStream.of(1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5),
                IntStream.rangeClosed(5, 63).asDoubleStream()), DoubleStream.of(128, 256, 512)).toArray();
    }

    /** Opacus's: 1.1, 1.2, ..., 10.9 (1 + x/10 for x = 1..99), then 12 ... 63. */
    public static double[] opacus() {
        return DoubleStream.concat(IntStream.rangeClosed(1, 99).mapToDouble(x -> 1 + x / 10.0),
                IntStream.rangeClosed(12, 63).asDoubleStream()).toArray();
    }
}
