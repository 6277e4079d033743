package dev.mi4j.attacks.miface;

import static dev.mi4j.core.testing.Bits.assertSameBits;
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
 * The fused pass must copy exactly the improved rows, give bitwise the iterates of the ND4J ops it
 * replaces (scale, subtract, max, min) on the rows it steps and leave the others alone, flag exactly
 * the rows whose gradient or update was not finite, and refuse layouts it cannot walk.
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
    @CsvSource({"FLOAT, 0.1, 5", "FLOAT, 100, 5", "FLOAT, 3.7, 1", "FLOAT, 100, 9"})
    void matchesNd4jOpsBitwiseAndFlagsNonFiniteRows(DataType type, double lambda, int n) {
        Nd4j.getRandom().setSeed(11);
        // AT&T-sized images (10304 pixels): rows cross the fused pass's 4096-element chunks.
        INDArray x = Nd4j.rand(type, n, 1, 112, 92);
        INDArray g = Nd4j.randn(type, new long[] {n, 1, 112, 92}).muli(0.5);
        // A huge finite gradient times lambda > 1 overflows: those rows must be flagged.
        double huge = type == DataType.FLOAT ? 3e38 : 1e308;
        if (n > 1) {
            g.putScalar(new long[] {1, 0, 60, 40}, huge);
        }
        if (n > 2) {
            g.putScalar(new long[] {2, 0, 111, 91}, -huge);   // the last pixel of a row
        }
        if (n > 3) {
            g.putScalar(new long[] {3, 0, 100, 5}, Double.NaN);   // a gradient that is not finite
        }
        // Row 0 improved and stepped, row 1 stepped, row 2 improved and stepped, row 3 stepped
        // (its gradient is not finite), row 4 improved but stopping (copied, not stepped).
        boolean[] improved = new boolean[Math.max(n, 8)];   // ActiveTargets' flags may be longer than m
        boolean[] step = new boolean[n];
        for (int k = 0; k < n; k++) {
            improved[k] = k % 2 == 0;
            step[k] = k < 4;
        }
        INDArray xBefore = x.dup();
        INDArray expected = x.dup();
        boolean[] expectedOk = reference(expected, g.dup(), lambda);
        INDArray gBefore = g.dup();
        INDArray best = Nd4j.zeros(type, n, 1, 112, 92);

        boolean[] gradOk = new boolean[n];
        boolean[] nextOk = new boolean[n];
        assertTrue(ElementwiseStep.keepBestAndStep(x, g, best, improved, step, lambda, gradOk, nextOk));

        for (int k = 0; k < n; k++) {
            INDArray want = step[k] ? expected.slice(k) : xBefore.slice(k);
            if (step[k] && k == 3) {
                continue;   // a NaN row: Java's min/max keep the NaN where ND4J's give 0; MiFace drops the row
            }
            assertSameBits(want, x.slice(k), "row " + k + (step[k] ? " stepped" : " not stepped"));
            assertSameBits(improved[k] ? xBefore.slice(k) : Nd4j.zeros(type, 1, 112, 92), best.slice(k),
                    "best row " + k);
        }
        assertSameBits(gBefore, g, "the gradient is not modified");
        for (int k = 0; k < n; k++) {
            if (step[k]) {
                assertEquals(k != 3, gradOk[k], "gradient of row " + k + " finite");
            }
        }
        if (Math.abs(lambda) > 1) {
            // With lambda <= 1 no check is made (MiFace's rule: a finite x in [0, 1] stays finite).
            for (int k = 0; k < n; k++) {
                if (step[k]) {
                    assertEquals(expectedOk[k], nextOk[k], "row " + k + ": x - lambda * g finite");
                }
            }
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
    @CsvSource({"view", "f order", "int", "shape", "double"})
    void refusesWhatItCannotWalk(String what) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 10);
        INDArray g = Nd4j.rand(DataType.FLOAT, 4, 10);
        switch (what) {
            case "view" -> x = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 5));
            case "f order" -> x = x.dup('f');
            case "int" -> x = x.castTo(DataType.INT);
            case "double" -> {
                x = x.castTo(DataType.DOUBLE);   // walkable, but the fused pass is FLOAT only: MiFace uses ND4J's ops
                g = g.castTo(DataType.DOUBLE);
            }
            default -> g = Nd4j.rand(DataType.FLOAT, 4, 11);
        }
        assertEquals(what.equals("double"), ElementwiseStep.fits(x, g));
        boolean[] flags = new boolean[4];
        assertFalse(ElementwiseStep.keepBestAndStep(x, g, Nd4j.create(x.dataType(), 4, 10), flags, flags, 0.1,
                new boolean[4], new boolean[4]), "refused: nothing done");
    }
}
