package dev.mi4j.core.model.backprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.Objective;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * One image's gradient and logits with one OpenMP thread (and each GEMM on one thread where the
 * first comparison found the same bits) must be the bits the default thread count gives (AT&amp;T-sized images, every architecture of the zoo), and the thread count must be
 * back to what it was afterwards.
 */
class NativeThreadsTest {

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"SOFTMAX", "MLP", "CNN", "EVAL", "DAE"})
    void oneThreadGivesTheSameBits(Architecture arch) {
        ImageShape shape = new ImageShape(1, 112, 92);
        MultiLayerNetwork net = arch.build(shape, 40, 42);
        Nd4j.getRandom().setSeed(5);
        net.setParams(Nd4j.randn(DataType.FLOAT, 1, net.numParams()).muli(0.05));
        NetworkClassifier clf = new NetworkClassifier(net, shape);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 112, 92);
        int before = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        // The first pass compares each GEMM signature on one thread against the default count;
        // the second runs with what it learned: the GEMMs kept on one thread must give the same bits.
        clf.inputGradient(x, new int[] {3}, Objective.ONE_MINUS_P);
        INDArray g1 = clf.inputGradient(x, new int[] {7}, Objective.ONE_MINUS_P).gradient().dup();
        INDArray p1 = clf.predict(x);
        assertEquals(before, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(), "thread count restored");
        NativeThreads.enabled = false;
        try {
            INDArray g2 = clf.inputGradient(x, new int[] {7}, Objective.ONE_MINUS_P).gradient().dup();
            INDArray p2 = clf.predict(x);
            assertArrayEquals(g2.data().asFloat(), g1.data().asFloat(), 0f, arch + ": gradient");
            assertArrayEquals(p2.data().asFloat(), p1.data().asFloat(), 0f, arch + ": probabilities");
        } finally {
            NativeThreads.enabled = true;
        }
    }

    @Test
    void otherThreadsKeepTheirThreadCount() throws Exception {
        int[] seen = new int[1];
        int mine = NativeThreads.forBatch(1, () -> {
            Thread t = new Thread(() -> seen[0] = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        });
        int all = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        assertEquals(Math.min(1, all), Math.min(1, mine), "one thread inside");
        assertEquals(all, seen[0], "another thread keeps the default");
    }
}
