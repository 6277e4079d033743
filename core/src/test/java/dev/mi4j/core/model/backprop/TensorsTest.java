package dev.mi4j.core.model.backprop;

import static dev.mi4j.core.testing.Bits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The Java-side reads and the bias add walk ND4J buffers directly: they must find the right
 * elements in DL4J's parameter views (a bias is a rank-1 'f' view at an offset of the flat
 * parameters) and give ND4J's own results bit for bit, and refuse what they cannot walk.
 */
class TensorsTest {

    private static MultiLayerNetwork net(Architecture arch, DataType type) {
        MultiLayerNetwork net = arch.build(new ImageShape(1, 12, 10), 7, 3, new Adam(1e-3), 0, type);
        Nd4j.getRandom().setSeed(3);
        net.setParams(Nd4j.randn(type, 1, net.numParams()));
        return net;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void biasAddOfEveryDenseLayerEqualsNd4jBitwise(DataType type) {
        MultiLayerNetwork net = net(Architecture.MLP, type);
        for (int l = 0; l < net.getnLayers(); l++) {
            INDArray b = net.getLayer(l).getParam("b");
            assertTrue(Tensors.javaReadable(b), "layer " + l + " bias " + b.shapeInfoToString());
            Nd4j.getRandom().setSeed(l);
            INDArray z = Nd4j.randn(type, 5, b.length());
            INDArray expected = z.dup().addiRowVector(b);
            Tensors.addRowVector(z, b);
            assertArrayEquals(expected.data().asDouble(), z.data().asDouble(), 0.0, "layer " + l);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"column view", "int", "f order matrix", "row view"})
    void walksOnlyWhatItCan(String what) {
        INDArray m = Nd4j.rand(DataType.FLOAT, 6, 5);
        switch (what) {
            case "column view" -> assertFalse(Tensors.javaReadable(m.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3))));
            case "int" -> assertFalse(Tensors.javaReadable(m.castTo(DataType.INT)));
            case "f order matrix" -> assertFalse(Tensors.javaReadable(m.dup('f')));
            default -> {
                // Rows 2..3 of a c-order matrix are contiguous: readable, and read right.
                INDArray rows = m.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
                assertTrue(Tensors.javaReadable(rows));
                double[][] r = Tensors.rows(rows, 2, 5);
                assertArrayEquals(rows.dup().toDoubleMatrix(), r);
            }
        }
    }

    /** Values with the edge cases of a comparison: signed zeros, NaN, infinities, tiny values. */
    private static INDArray edgy(long... shape) {
        Nd4j.getRandom().setSeed(21);
        INDArray x = Nd4j.randn(DataType.FLOAT, shape);
        // Also NaNs with the sign bit or a payload, and the extremes of the exponent: the ReLU
        // loops decide on the floats' bits.
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001),
            Float.intBitsToFloat(0xff800001), Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL};
        long gap = Math.max(1, Math.min(7, x.length() / special.length));
        for (int i = 0; i < special.length && i * gap < x.length(); i++) {
            x.putScalar(i * gap, special[i]);
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10000})
    void reluAndItsBackwardEqualDl4jBitwise(int rows) {
        INDArray x = edgy(rows, 5, 3);
        INDArray eps = Nd4j.randn(DataType.FLOAT, x.shape());
        eps.putScalar(3, -0f);
        for (long i = 1; i < eps.length(); i += 5) {
            eps.putScalar(i, Float.intBitsToFloat(0xffc00000 + (int) (i % 97)));   // NaNs: passed through where x > 0
        }
        org.nd4j.linalg.activations.impl.ActivationReLU relu = new org.nd4j.linalg.activations.impl.ActivationReLU();
        INDArray expected = relu.getActivation(x.dup(), false);
        INDArray y = Nd4j.create(DataType.FLOAT, x.shape());
        assertTrue(Tensors.relu(x, y));
        assertSameBits(expected, y, "relu");
        INDArray inPlace = x.dup();
        assertTrue(Tensors.relu(inPlace, inPlace));
        assertSameBits(expected, inPlace, "relu in place");

        INDArray expectedBp = relu.backprop(x.dup(), eps.dup()).getFirst();
        INDArray bp = x.dup();
        assertTrue(Tensors.reluBackward(bp, eps, bp));
        assertSameBits(expectedBp, bp, "relu backward");
        INDArray viaOp = Nd4j.create(DataType.FLOAT, x.shape());
        org.nd4j.linalg.factory.Nd4j.exec(org.nd4j.linalg.api.ops.DynamicCustomOp.builder("relu_bp")
                .addInputs(y, eps).addOutputs(viaOp).build());
        INDArray fromOutput = Nd4j.create(DataType.FLOAT, x.shape());
        assertTrue(Tensors.reluBackward(y, eps, fromOutput));
        assertSameBits(viaOp, fromOutput, "relu_bp on the ReLU's output");
    }

    @Test
    void reluLeavesLargeOrOtherArraysToNd4j() {
        assertFalse(Tensors.relu(Nd4j.rand(DataType.DOUBLE, 4, 4), Nd4j.rand(DataType.DOUBLE, 4, 4)));
        INDArray big = Nd4j.create(DataType.FLOAT, Tensors.JAVA_ELEMENTWISE_MAX + 1);
        assertFalse(Tensors.relu(big, big));
        INDArray small = Nd4j.create(DataType.FLOAT, 4, 4);
        assertFalse(Tensors.reluBackward(small, Nd4j.create(DataType.FLOAT, 16), small), "shapes differ");
    }

    @Test
    void rowsReadsLogitsAsDoubles() {
        INDArray f = Nd4j.rand(DataType.FLOAT, 4, 7);
        assertArrayEquals(f.toDoubleMatrix(), Tensors.rows(f, 4, 7));
        INDArray d = Nd4j.rand(DataType.DOUBLE, 3, 2);
        assertArrayEquals(d.toDoubleMatrix(), Tensors.rows(d, 3, 2));
        INDArray fo = f.dup('f');   // not walkable: read through a copy, same values
        assertArrayEquals(f.toDoubleMatrix(), Tensors.rows(fo, 4, 7));
        assertEquals(4, Tensors.rows(f, 4, 7).length);
    }

    @Test
    void sharesMemoryTellsViewsFromCopies() {
        MultiLayerNetwork net = Architecture.CNN.build(new ImageShape(1, 112, 92), 40, 42);
        INDArray w = net.getLayer(2).getParam("W");   // a view of the flat parameters, at an offset
        INDArray m = w.reshape('c', w.size(0), w.length() / w.size(0));
        assertTrue(Tensors.sharesMemory(m, w), "reshaped parameter view");
        m.putScalar(0, 0, 123f);
        assertEquals(123f, w.getFloat(0, 0, 0, 0), "writes through the reshape reach the parameters");
        assertTrue(Tensors.sharesMemory(w.permute(1, 0, 2, 3), w), "permuted");
        assertFalse(Tensors.sharesMemory(w.dup(), w), "a copy");
        INDArray f = Nd4j.rand(DataType.FLOAT, 2, 3, 4).dup('f');
        assertFalse(Tensors.sharesMemory(f.reshape('c', 2, 12), f), "a c-order reshape of an f-order array copies");
        assertFalse(Tensors.sharesMemory(Nd4j.rand(DataType.FLOAT, 2, 3), Nd4j.rand(DataType.FLOAT, 2, 3)), "unrelated");
    }
}
