package dev.mi4j.core.model.backprop;

import static dev.mi4j.core.testing.Bits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A kept op context must compute what a fresh {@code Nd4j.exec} computes, call after call: when
 * the same input arrays hold new values, when the inputs or the output are other arrays, and when
 * the arguments change.
 */
class NativeCallTest {

    private static INDArray fresh(String op, INDArray[] in, int[] args, long... outShape) {
        INDArray out = Nd4j.create(DataType.FLOAT, outShape);
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(in).addIntegerArguments(args).addOutputs(out).build());
        return out;
    }

    @Test
    void keptContextComputesWhatAFreshOpDoes() {
        Nd4j.getRandom().setSeed(3);
        // maxpool2d, 2x2 stride 2, NHWC: kernel, stride, padding, dilation, same mode, extra, format.
        int[] pool = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1};
        INDArray x = Nd4j.randn(DataType.FLOAT, 1, 8, 6, 3);
        INDArray out = Nd4j.create(DataType.FLOAT, 1, 4, 3, 3);
        NativeCall call = new NativeCall("maxpool2d");
        assertSame(out, call.exec(new INDArray[] {x}, pool, out));
        assertSameBits(fresh("maxpool2d", new INDArray[] {x}, pool, 1, 4, 3, 3), out, "first call");

        x.assign(Nd4j.randn(DataType.FLOAT, 1, 8, 6, 3));   // same array, new values
        call.exec(new INDArray[] {x}, pool, out);
        assertSameBits(fresh("maxpool2d", new INDArray[] {x}, pool, 1, 4, 3, 3), out, "same input array, new values");

        INDArray y = Nd4j.randn(DataType.FLOAT, 1, 8, 6, 3);   // another input array
        INDArray out2 = Nd4j.create(DataType.FLOAT, 1, 4, 3, 3);   // and another output
        call.exec(new INDArray[] {y}, pool, out2);
        assertSameBits(fresh("maxpool2d", new INDArray[] {y}, pool, 1, 4, 3, 3), out2, "other arrays");

        int[] wide = {3, 3, 3, 3, 0, 0, 1, 1, 0, 0, 1};   // other arguments: 3x3 windows, stride 3
        INDArray out3 = Nd4j.create(DataType.FLOAT, 1, 2, 2, 3);
        call.exec(new INDArray[] {y}, wide, out3);
        assertSameBits(fresh("maxpool2d", new INDArray[] {y}, wide, 1, 2, 2, 3), out3, "other arguments");
    }

    @Test
    void keptMatmulIsNd4jGemm() {
        Nd4j.getRandom().setSeed(4);
        // The dense step's layouts: activations c order, DL4J's weights f order (the forward takes
        // them as the transpose of a c-order view), results c order.
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 300);
        INDArray w = Nd4j.randn(DataType.FLOAT, 300, 20).dup('f');
        INDArray delta = Nd4j.randn(DataType.FLOAT, 5, 20);
        NativeCall forward = new NativeCall("matmul");
        NativeCall backward = new NativeCall("matmul");
        INDArray z = Nd4j.create(DataType.FLOAT, 5, 20);
        INDArray e = Nd4j.create(DataType.FLOAT, 5, 300);
        for (int round = 0; round < 2; round++) {
            NativeThreads.gemm(forward, x, w.transpose(), z, false, true, 1.0, 0.0);
            INDArray zRef = Nd4j.create(DataType.FLOAT, 5, 20);
            Nd4j.gemm(x, w.transpose(), zRef, false, true, 1.0, 0.0);
            assertSameBits(zRef, z, "forward, round " + round);
            NativeThreads.gemm(backward, delta, w, e, false, true, 0.5, 0.0);
            INDArray eRef = Nd4j.create(DataType.FLOAT, 5, 300);
            Nd4j.gemm(delta, w, eRef, false, true, 0.5, 0.0);
            assertSameBits(eRef, e, "backward with alpha 0.5, round " + round);
            x.assign(Nd4j.randn(DataType.FLOAT, 5, 300));
            delta.assign(Nd4j.randn(DataType.FLOAT, 5, 20));
        }
    }

    @Test
    void frameKeepsViewsOnlyOfTheSameArray() {
        Frame f = new Frame();
        INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3, 4);
        INDArray v = f.view(Frame.VIEW_FLAT, a, x -> x.reshape('c', 2, 12));
        assertSame(v, f.view(Frame.VIEW_FLAT, a, x -> x.reshape('c', 2, 12)), "the same array: the kept view");
        a.putScalar(5, 42.0);
        assertSameBits(a.reshape('c', 2, 12), v, "a view sees the array's new values");
        INDArray b = a.dup();
        assertNotSame(v, f.view(Frame.VIEW_FLAT, b, x -> x.reshape('c', 2, 12)), "another array: a new view");
        // A copy (an f-order array reshaped in c order) is not kept: each call makes it anew.
        INDArray fOrder = Nd4j.rand(DataType.FLOAT, 2, 3, 4).dup('f');
        INDArray copy = f.view(Frame.VIEW_UNFLAT, fOrder, x -> x.reshape('c', 2, 12));
        fOrder.putScalar(0, 0, 0, 7.0);
        assertSameBits(fOrder.reshape('c', 2, 12), f.view(Frame.VIEW_UNFLAT, fOrder, x -> x.reshape('c', 2, 12)),
                "a copy is made again");
        assertNotSame(copy, f.view(Frame.VIEW_UNFLAT, fOrder, x -> x.reshape('c', 2, 12)));
    }
}
