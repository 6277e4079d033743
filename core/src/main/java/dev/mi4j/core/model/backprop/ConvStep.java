package dev.mi4j.core.model.backprop;

import static dev.mi4j.core.model.backprop.LibNd4jArgs.CONV_DATA_FORMAT;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.DILATION_H;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.DILATION_W;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.KERNEL_H;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.KERNEL_W;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.NHWC;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.PAD_H;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.PAD_W;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.SAME_MODE;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.STRIDE_H;
import static dev.mi4j.core.model.backprop.LibNd4jArgs.STRIDE_W;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A 2-D convolution (any stride and dilation, Same/Truncate/Strict modes). Forward by libnd4j's
 * conv2d or by im2col + GEMM per image; backward by one of {@link BackpropOptions.Backward}
 * (AUTO resolved here from the natives in use); NCHW, or NHWC after {@link #useNhwc}.
 */
final class ConvStep extends Step {
    private final INDArray w;  // [out, in, kH, kW]: libnd4j weight format 1
    private final INDArray w2; // the same weights as an [out, in*kH*kW] matrix (a view, or a copy per call)
    private final INDArray b;
    private final IActivation act;
    final boolean plainRelu;
    /** Set when the next layer is a max pool that applies this layer's ReLU mask to its epsilon. */
    boolean reluMaskedByPool;
    private int[] args;
    private boolean forwardByGemm;
    private int[] flipArgs;
    private BackpropOptions.Backward backward;
    private final BackpropOptions.Backward requested;
    /** {@link #flipSource} for this layer's kernel shape: made on the first flipped backward, then kept. */
    private int[] flipFrom;

    ConvStep(InputPreProcessor pre, org.deeplearning4j.nn.api.Layer layer, ConvolutionLayer conf, BackpropOptions options,
             boolean oneDnn) {
        super(pre);
        this.w = layer.getParam("W");
        INDArray m = w.reshape('c', w.size(0), w.length() / w.size(0));
        // A view follows later changes to the parameters; a copy would not (then reshape per call).
        this.w2 = Tensors.sharesMemory(m, w) ? m : null;
        INDArray bias = conf.hasBias() ? layer.getParam("b") : null;
        this.b = bias == null ? null : bias.reshape(bias.length());
        this.act = conf.getActivationFn();
        this.plainRelu = Step.isPlainRelu(act);
        this.args = LibNd4jArgs.conv2d(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(),
                conf.getConvolutionMode(), LibNd4jArgs.WEIGHTS_OIHW);
        this.forwardByGemm = switch (options.forward()) {
            case GEMM -> true;
            case OP -> false;
            case AUTO -> !oneDnn;
        };
        this.flipArgs = flipArgs(args);
        this.requested = options.backward();
        this.backward = switch (requested) {
            case BP, INPUT_BP, GEMM -> requested;
            case FLIP -> {
                if (flipArgs == null) {
                    throw new IllegalArgumentException(BackpropOptions.BACKWARD_PROPERTY
                            + "=flip needs stride 1 (and an odd kernel in Same mode)");
                }
                yield BackpropOptions.Backward.FLIP;
            }
            // On oneDNN, a forward convolution with the flipped kernel costs less than
            // conv2d_bp, which also computes the weight gradient (see BENCHMARKS.md).
            case AUTO -> oneDnn ? (flipArgs != null ? BackpropOptions.Backward.FLIP : BackpropOptions.Backward.BP)
                    : BackpropOptions.Backward.GEMM;
        };
    }

    /**
     * conv2d arguments of the input gradient as a forward convolution (stride 1 only): the
     * epsilon correlated with the flipped kernel, padded by d*(k-1) - p on each side, gives
     * back the input size. Null where that does not apply (stride > 1, Same mode with an
     * even kernel, padding beyond d*(k-1)).
     */
    private static int[] flipArgs(int[] a) {
        if (a[STRIDE_H] != 1 || a[STRIDE_W] != 1) {
            return null;
        }
        if (a[SAME_MODE] == 1) {
            // Same mode, stride 1: padding d*(k-1)/2 on both sides for odd kernels, and Same again.
            return a[KERNEL_H] % 2 == 1 && a[KERNEL_W] % 2 == 1 ? a.clone() : null;
        }
        int ph = a[DILATION_H] * (a[KERNEL_H] - 1) - a[PAD_H];
        int pw = a[DILATION_W] * (a[KERNEL_W] - 1) - a[PAD_W];
        if (ph < 0 || pw < 0) {
            return null;
        }
        int[] r = a.clone();
        r[PAD_H] = ph;
        r[PAD_W] = pw;
        return r;
    }

    /**
     * W'[in, out, i, j] = W[out, in, kH-1-i, kW-1-j] into a reused array (the weights may change
     * between calls, so it is redone each call). A permutation, so exact; read and written in
     * bulk through the buffers (ND4J's per-element asDouble/setData took ~0.3 ms per call for the
     * CNN's 18,432-weight layer, measured).
     */
    private INDArray flippedWeights(Frame f) {
        int o = (int) w.size(0);
        int c = (int) w.size(1);
        int kh = (int) w.size(2);
        int kw = (int) w.size(3);
        f.flipped = Tensors.reuse(f.flipped, w.dataType(), c, o, kh, kw);
        if (flipFrom == null) {
            flipFrom = flipSource(o, c, kh * kw);   // the backward pass runs under the engine's lock
        }
        int[] from = flipFrom;
        INDArray src = Tensors.javaReadable(w) ? w : w.dup('c');
        if (w.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            float[] a = new float[from.length];
            float[] d = new float[from.length];
            src.data().asNioFloat().get((int) src.offset(), a, 0, a.length);
            for (int i = 0; i < d.length; i++) {
                d[i] = a[from[i]];
            }
            f.flipped.data().asNioFloat().put((int) f.flipped.offset(), d, 0, d.length);
        } else {
            double[] a = src.dup('c').data().asDouble();
            double[] d = new double[from.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = a[from[i]];
            }
            f.flipped.data().setData(d);
        }
        return f.flipped;
    }

    /**
     * For each element of the flipped kernel [in, out, kH, kW] (c order), the index of its source in
     * W [out, in, kH, kW]: (i, j) -> (kH-1-i, kW-1-j) is, within one kH x kW block, t -> k-1-t.
     */
    private static int[] flipSource(int o, int c, int k) {
        int[] from = new int[o * c * k];
        for (int oo = 0; oo < o; oo++) {
            for (int cc = 0; cc < c; cc++) {
                for (int t = 0; t < k; t++) {
                    from[(cc * o + oo) * k + t] = (oo * c + cc) * k + k - 1 - t;
                }
            }
        }
        return from;
    }

    /** Switches to NHWC: libnd4j's conv2d forward; backward by the flipped kernel where it applies, else conv2d_bp. */
    void useNhwc() {
        nhwc = true;
        args = args.clone();
        args[CONV_DATA_FORMAT] = NHWC;
        if (flipArgs != null) {
            flipArgs = flipArgs.clone();
            flipArgs[CONV_DATA_FORMAT] = NHWC;
        }
        forwardByGemm = false;
        boolean oneChannel = w.size(1) == 1;
        if (requested == BackpropOptions.Backward.AUTO) {
            // One input channel (the image): one GEMM for the whole batch + col2im beat
            // oneDNN's flipped 16 -> 1 convolution 2x at 40 images (see BENCHMARKS.md).
            backward = oneChannel ? BackpropOptions.Backward.GEMM
                    : flipArgs != null ? BackpropOptions.Backward.FLIP : BackpropOptions.Backward.BP;
        } else if (backward == BackpropOptions.Backward.INPUT_BP || backward == BackpropOptions.Backward.GEMM && !oneChannel) {
            throw new IllegalArgumentException(BackpropOptions.BACKWARD_PROPERTY + "=" + requested.name().toLowerCase(java.util.Locale.ROOT)
                    + " is NCHW only (gemm: or one input channel)");
        }
    }

    private INDArray weightMatrix() {
        return w2 != null ? w2 : w.reshape('c', w.size(0), w.length() / w.size(0));
    }

    /** Top and left padding for an input of h x wd and an output of oh x ow (libnd4j's rule in Same mode). */
    private int[] padding(long h, long wd, long oh, long ow) {
        if (args[SAME_MODE] == 0) {
            return new int[] {args[PAD_H], args[PAD_W]};
        }
        long ekh = (long) (args[KERNEL_H] - 1) * args[DILATION_H] + 1;
        long ekw = (long) (args[KERNEL_W] - 1) * args[DILATION_W] + 1;
        return new int[] {(int) Math.max(0, ((oh - 1) * args[STRIDE_H] + ekh - h) / 2),
            (int) Math.max(0, ((ow - 1) * args[STRIDE_W] + ekw - wd) / 2)};
    }

    @Override
    INDArray forward(INDArray x, Frame f) {
        if (forwardByGemm) {
            forwardByGemm(x, f);
        } else {
            INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
            f.preOut = f.exec(Frame.FORWARD, "conv2d", in, args, f.preOut);
        }
        if (plainRelu) {
            // relu(z) > 0 exactly where z > 0: backprop can read the output, so the
            // activation runs in place, without a copy of the pre-activation.
            f.out = f.preOut;
            return Tensors.relu(f.out, f.out) ? f.out : act.getActivation(f.out, false);
        }
        f.out = Tensors.reuse(f.out, f.preOut.dataType(), f.preOut.shape()).assign(f.preOut);
        return act.getActivation(f.out, false);
    }

    /**
     * im2col + GEMM, one image at a time: the image's columns (1.5 MB for 16 channels at
     * 56x46) stay in cache between the two, where libnd4j's conv2d builds the columns of the
     * whole batch first (60 MB at 40 images) and was measured 2x slower per image.
     */
    private void forwardByGemm(INDArray x, Frame f) {
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long wd = x.size(3);
        long oh;
        long ow;
        long ekh = (long) (args[KERNEL_H] - 1) * args[DILATION_H] + 1;
        long ekw = (long) (args[KERNEL_W] - 1) * args[DILATION_W] + 1;
        if (args[SAME_MODE] == 1) {
            oh = (h + args[STRIDE_H] - 1) / args[STRIDE_H];
            ow = (wd + args[STRIDE_W] - 1) / args[STRIDE_W];
        } else {
            oh = (h + 2L * args[PAD_H] - ekh) / args[STRIDE_H] + 1;
            ow = (wd + 2L * args[PAD_W] - ekw) / args[STRIDE_W] + 1;
        }
        int[] pad = padding(h, wd, oh, ow);
        long o = w.size(0);
        f.preOut = Tensors.reuse(f.preOut, x.dataType(), n, o, oh, ow);
        f.col = Tensors.reuse(f.col, x.dataType(), 1, c, args[KERNEL_H], args[KERNEL_W], oh, ow);
        INDArray colM = f.col.reshape('c', c * args[KERNEL_H] * args[KERNEL_W], oh * ow);
        INDArray zM = f.preOut.reshape('c', n, o, oh * ow);
        INDArray wm = weightMatrix();
        INDArray bc = b == null ? null : b.reshape(o, 1);
        int[] a = LibNd4jArgs.im2col(args, pad);
        for (long i = 0; i < n; i++) {
            INDArrayIndex row = NDArrayIndex.interval(i, i + 1);
            INDArray xi = x.get(row, NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(xi).addIntegerArguments(a)
                    .addFloatingPointArguments(0.0).addOutputs(f.col).build());
            INDArray zi = zM.slice(i);
            NativeThreads.gemm(wm, colM, zi, false, false, 1.0, 0.0);
            if (bc != null) {
                zi.addiColumnVector(bc);
            }
        }
    }

    @Override
    INDArray backward(INDArray eps, Frame f) {
        // After a max pool that applied the ReLU mask (see MaxPoolStep.masksRelu), eps is already dL/dz.
        INDArray delta = reluMaskedByPool ? eps : act.backprop(f.preOut, eps).getFirst();
        long n = delta.size(0);
        f.inputEps = Tensors.reuse(f.inputEps, delta.dataType(), f.input.shape());
        if (backward == BackpropOptions.Backward.BP) {
            // The oneDNN build runs conv2d_bp through oneDNN (measured 10x+ faster than libnd4j's
            // own conv2d_input_bp at 40 images, weight gradient included); the weight and bias
            // gradients go to reused scratch arrays and are ignored.
            f.weightEps = Tensors.reuse(f.weightEps, w.dataType(), w.shape());
            INDArray[] in = b == null ? new INDArray[] {f.input, w, delta} : new INDArray[] {f.input, w, b, delta};
            INDArray[] out = {f.inputEps, f.weightEps};
            if (b != null) {
                f.biasEps = Tensors.reuse(f.biasEps, b.dataType(), b.shape());
                out = new INDArray[] {f.inputEps, f.weightEps, f.biasEps};
            }
            f.call(Frame.BACKWARD, "conv2d_bp").exec(in, args, null, out);
            return f.inputEps;
        }
        if (backward == BackpropOptions.Backward.GEMM) {
            return backwardByGemm(delta, f);
        }
        if (backward == BackpropOptions.Backward.FLIP) {
            return f.call(Frame.BACKWARD, "conv2d").exec(new INDArray[] {delta, flippedWeights(f)}, flipArgs, f.inputEps);
        }
        // conv2d_input_bp computes only dL/dInput (a transposed convolution). One image per
        // call: libnd4j's batched version was measured 8-10x slower per image than single
        // images (40 x [16, 56, 46] on 2 cores), its working set far beyond the caches.
        long[] one = f.input.shape().clone();
        one[0] = 1;
        INDArray inShape = Nd4j.createFromArray(one);
        for (long i = 0; i < n; i++) {
            INDArrayIndex row = NDArrayIndex.interval(i, i + 1);
            INDArray d = delta.get(row, NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            INDArray o = f.inputEps.get(row, NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            Nd4j.exec(DynamicCustomOp.builder("conv2d_input_bp").addInputs(inShape, w, d)
                    .addIntegerArguments(args).addOutputs(o).build());
        }
        return f.inputEps;
    }

    /**
     * dL/dInput as the transposed convolution, one image at a time: the columns
     * W^T [in*kH*kW, out] x delta [out, oH*oW], then col2im sums them into the image.
     */
    private INDArray backwardByGemm(INDArray delta, Frame f) {
        if (nhwc) {
            return backwardByOneGemm(delta, f);
        }
        long n = delta.size(0);
        long c = f.input.size(1);
        long h = f.input.size(2);
        long wd = f.input.size(3);
        long o = delta.size(1);
        long oh = delta.size(2);
        long ow = delta.size(3);
        INDArray d = Tensors.isPlainBlock(delta) ? delta : delta.dup('c');
        int[] pad = padding(h, wd, oh, ow);
        f.col = Tensors.reuse(f.col, delta.dataType(), 1, c, args[KERNEL_H], args[KERNEL_W], oh, ow);
        INDArray colM = f.col.reshape('c', c * args[KERNEL_H] * args[KERNEL_W], oh * ow);
        INDArray dM = d.reshape('c', n, o, oh * ow);
        INDArray wm = weightMatrix();
        int[] a = LibNd4jArgs.col2im(args, pad, h, wd);
        for (long i = 0; i < n; i++) {
            NativeThreads.gemm(wm, dM.slice(i), colM, true, false, 1.0, 0.0);
            INDArray out = f.inputEps.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(f.col).addIntegerArguments(a).addOutputs(out).build());
        }
        return f.inputEps;
    }

    /**
     * NHWC with one input channel: the columns of the whole batch in one GEMM, delta
     * [n*oH*oW, out] x W [out, kH*kW] -> [n, oH, oW, 1, kH, kW], then col2im reads them
     * through a permuted view. With one channel, the NHWC gradient is also NCHW memory.
     */
    private INDArray backwardByOneGemm(INDArray delta, Frame f) {
        long n = delta.size(0);
        long h = f.input.size(1);
        long wd = f.input.size(2);
        long oh = delta.size(1);
        long ow = delta.size(2);
        long o = delta.size(3);
        INDArray d = Tensors.isPlainBlock(delta) ? delta : delta.dup('c');
        int[] pad = padding(h, wd, oh, ow);
        f.col = Tensors.reuse(f.col, delta.dataType(), n, oh, ow, 1, args[KERNEL_H], args[KERNEL_W]);
        long k = (long) args[KERNEL_H] * args[KERNEL_W];
        NativeThreads.gemm(f.call(Frame.GEMM, "matmul"), f.view(Frame.VIEW_DELTA, d, x -> x.reshape('c', n * oh * ow, o)),
                weightMatrix(),
                f.view(Frame.VIEW_COL, f.col, x -> x.reshape('c', n * oh * ow, k)), false, false, 1.0, 0.0);
        INDArray out = f.view(Frame.VIEW_INPUT_EPS, f.inputEps, x -> x.reshape('c', n, 1, h, wd));
        int[] a = LibNd4jArgs.col2im(args, pad, h, wd);
        INDArray cols = f.view(Frame.VIEW_COL_PERMUTED, f.col, x -> x.permute(0, 3, 4, 5, 1, 2));
        f.call(Frame.BACKWARD_SECOND, "col2im").exec(new INDArray[] {cols}, a, out);
        return f.inputEps;
    }
}
