package dev.mi4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Bit-for-bit comparison of arrays, signed zeros and NaN payloads included. */
public final class Bits {

    private Bits() {
    }

    /** Same length and the same raw bits at every element (compared as doubles, exact for floats). */
    public static void assertSameBits(INDArray expected, INDArray actual, String what) {
        double[] a = expected.dup().data().asDouble();
        double[] b = actual.dup().data().asDouble();
        assertEquals(a.length, b.length, what + ": length");
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]), what + ", element " + i);
        }
    }
}
