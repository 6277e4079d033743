package dev.mi4j.core.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One call site of a libnd4j custom op whose native context is kept from one call to the next.
 * {@code Nd4j.exec(DynamicCustomOp)} builds the op object, a native context, and hands it every
 * input, output and argument on each call: about a tenth of a one-image CNN step went there
 * (BENCHMARKS.md). Here the context is built once and told again only what changed: the arrays
 * (compared by identity; the engine's work arrays are the same objects from step to step) and the
 * integer and floating-point arguments. The op itself is the same libnd4j op with the same
 * arguments, so it computes the same bits.
 *
 * <p>Not thread-safe: one instance per call site of one {@link Frame}, used under the engine's lock.
 */
final class NativeCall {
    private static final long[] NO_LONGS = {};
    private static final double[] NO_DOUBLES = {};

    private final DynamicCustomOp op;
    private OpContext context;
    private INDArray[] inputs;
    private INDArray[] outputs;
    private long[] iArgs;
    private double[] tArgs;

    NativeCall(String opName) {
        this.op = DynamicCustomOp.builder(opName).build();
    }

    /** The op on {@code in} with integer arguments {@code args} into {@code out}; returns {@code out}. */
    INDArray exec(INDArray[] in, int[] args, INDArray out) {
        return exec(in, args, null, out)[0];
    }

    /** The op with integer and floating-point arguments (either may be null) into the given outputs. */
    INDArray[] exec(INDArray[] in, int[] args, double[] tArgs, INDArray... out) {
        if (context == null) {
            context = Nd4j.getExecutioner().buildContext();
        }
        if (!sameArrays(in, inputs)) {
            context.setInputArrays(in);
            inputs = in.clone();
        }
        if (!sameArrays(out, outputs)) {
            context.setOutputArrays(out);
            outputs = out.clone();
        }
        long[] ia = args == null ? NO_LONGS : java.util.Arrays.stream(args).asLongStream().toArray();
        if (!java.util.Arrays.equals(ia, iArgs)) {
            context.setIArguments(ia);
            iArgs = ia;
        }
        double[] ta = tArgs == null ? NO_DOUBLES : tArgs;
        if (!java.util.Arrays.equals(ta, this.tArgs)) {
            context.setTArguments(ta);
            this.tArgs = ta.clone();
        }
        Nd4j.exec(op, context);
        return out;
    }

    private static boolean sameArrays(INDArray[] a, INDArray[] b) {
        if (b == null || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }
}
