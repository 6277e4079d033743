package dev.mi4j.attacks.miface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fused update must give bitwise the iterates of the ND4J ops it replaces (scale, subtract,
 * max, min), flag exactly the rows whose update was not finite, and refuse layouts it cannot walk.
 */
class ElementwiseStepTest {

    /** The reference: MI-Face's update as ND4J ops, and per row whether x - lambda*g was finite. */
    private static boolean[] reference(INDArray x, INDArray g, double lambda) {
        x.subi(g.mul(lambda));
        int m = (int) x.size(0);
        boolean[] ok = new boolean[m];
        for (int r = 0; r < m; r++) {
            ok[r] = true;
            for (double v : x.slice(r).dup().data().asDouble()) {
                ok[r] &= Double.isFinite(v);
            }
        }
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.ScalarMax(x, 0.0));
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.ScalarMin(x, 1.0));
        return ok;
    }

    @ParameterizedTest(name = "{0}, lambda {1}, {2} images")
    @CsvSource({"FLOAT, 0.1, 5", "FLOAT, 100, 5", "FLOAT, 3.7, 1", "DOUBLE, 0.1, 3", "DOUBLE, 100, 3"})
    void matchesNd4jOpsBitwiseAndFlagsNonFiniteRows(DataType type, double lambda, int n) {
        Nd4j.getRandom().setSeed(11);
        // AT&T-sized images (10304 pixels): rows cross the fused pass's 4096-element chunks.
        INDArray x = Nd4j.rand(type, n, 1, 112, 92);
        INDArray g = Nd4j.randn(type, new long[] {n, 1, 112, 92}).muli(0.5);
        // MiFace only steps targets whose gradient is finite (the others stop as DIVERGED), but a
        // huge finite gradient times lambda > 1 overflows: those rows must be flagged.
        double huge = type == DataType.FLOAT ? 3e38 : 1e308;
        if (n > 1) {
            g.putScalar(new long[] {1, 0, 60, 40}, huge);
        }
        if (n > 2) {
            g.putScalar(new long[] {2, 0, 111, 91}, -huge);   // the last pixel of a row
        }
        INDArray expected = x.dup();
        boolean[] expectedOk = reference(expected, g.dup(), lambda);
        INDArray gBefore = g.dup();

        assertTrue(ElementwiseStep.fits(x, g));
        boolean[] ok = ElementwiseStep.updateAndClamp(x, g, lambda);

        // Compare the raw bits (signed zeros included).
        if (type == DataType.FLOAT) {
            float[] a = expected.data().asFloat();
            float[] b = x.data().asFloat();
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "element " + i);
            }
        } else {
            double[] a = expected.data().asDouble();
            double[] b = x.data().asDouble();
            for (int i = 0; i < a.length; i++) {
                assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]), "element " + i);
            }
        }
        assertEquals(gBefore, g, "the gradient is not modified");
        if (Math.abs(lambda) > 1) {
            // With lambda <= 1 no check is made (MiFace's rule: a finite x in [0, 1] stays finite).
            assertArrayEquals(expectedOk, ok, "rows whose update was not finite");
            assertEquals(n > 1, !expectedOk[Math.min(1, n - 1)], "the overflow is there to be found");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLOAT", "DOUBLE"})
    void finiteRowsIsExactPerRow(DataType type) {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(type, 4, 1, 112, 92);
        x.putScalar(new long[] {0, 0, 0, 0}, Double.NaN);
        x.putScalar(new long[] {3, 0, 111, 91}, Double.NEGATIVE_INFINITY);
        // A finite row whose sum overflows the type's range is still finite.
        x.get(NDArrayIndex.point(2)).assign(type == DataType.FLOAT ? 3e38 : 1e308);
        assertArrayEquals(new boolean[] {false, true, true, false}, ElementwiseStep.finiteRows(x));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"view", "f order", "int", "shape"})
    void refusesWhatItCannotWalk(String what) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 10);
        INDArray g = Nd4j.rand(DataType.FLOAT, 4, 10);
        switch (what) {
            case "view" -> x = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 5));
            case "f order" -> x = x.dup('f');
            case "int" -> x = x.castTo(DataType.INT);
            default -> g = Nd4j.rand(DataType.FLOAT, 4, 11);
        }
        assertFalse(ElementwiseStep.fits(x, g));
    }
}
