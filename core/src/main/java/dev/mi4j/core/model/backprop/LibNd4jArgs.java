package dev.mi4j.core.model.backprop;

import org.deeplearning4j.nn.conf.ConvolutionMode;

/**
 * The integer arguments of libnd4j's 2-D convolution, pooling, im2col and col2im ops, by name.
 * The ops take them as one int array in a fixed order; these constants are that order, so that
 * the engine reads {@code args[STRIDE_H]}, not {@code args[2]}.
 *
 * <pre>
 *   conv2d, conv2d_bp, conv2d_input_bp: kH kW sH sW pH pW dH dW sameMode dataFormat(0 NCHW, 1 NHWC) weightFormat
 *   maxpool2d, maxpool2d_bp:            kH kW sH sW pH pW dH dW sameMode extraParam0 dataFormat(0 NCHW, 1 NHWC)
 *   im2col:                             kH kW sH sW pH pW dH dW sameMode      (+ one float argument: the padding value)
 *   col2im:                             sH sW pH pW imageH imageW dH dW sameMode
 * </pre>
 * weightFormat 1 is DL4J's [out, in, kH, kW] kernel layout.
 */
final class LibNd4jArgs {

    static final int KERNEL_H = 0;
    static final int KERNEL_W = 1;
    static final int STRIDE_H = 2;
    static final int STRIDE_W = 3;
    static final int PAD_H = 4;
    static final int PAD_W = 5;
    static final int DILATION_H = 6;
    static final int DILATION_W = 7;
    /** 1 for ConvolutionMode.Same (padding computed by libnd4j), 0 for explicit padding. */
    static final int SAME_MODE = 8;
    /** conv2d ops: 0 NCHW, 1 NHWC. */
    static final int CONV_DATA_FORMAT = 9;
    /** conv2d ops: the kernel layout, 1 = [out, in, kH, kW] (DL4J's). */
    static final int CONV_WEIGHT_FORMAT = 10;
    /** Pooling ops: extraParam0, unused by max pooling. */
    static final int POOL_EXTRA_PARAM = 9;
    /** Pooling ops: 0 NCHW, 1 NHWC. */
    static final int POOL_DATA_FORMAT = 10;
    /** Length of the conv2d and pooling argument arrays. */
    static final int CONV_ARGS_LENGTH = 11;

    static final int NCHW = 0;
    static final int NHWC = 1;
    /** DL4J's kernel layout [out, in, kH, kW]. */
    static final int WEIGHTS_OIHW = 1;

    private LibNd4jArgs() {
    }

    /** conv2d arguments, NCHW, from a DL4J layer's kernel, stride, padding, dilation and mode. */
    static int[] conv2d(int[] k, int[] s, int[] p, int[] d, ConvolutionMode mode, int weightFormat) {
        boolean same = mode == ConvolutionMode.Same;
        if (mode == ConvolutionMode.Causal) {
            throw new IllegalArgumentException("network: causal convolution mode is not supported");
        }
        int[] dil = d == null ? new int[] {1, 1} : d;
        int[] a = new int[CONV_ARGS_LENGTH];
        a[KERNEL_H] = k[0];
        a[KERNEL_W] = k[1];
        a[STRIDE_H] = s[0];
        a[STRIDE_W] = s[1];
        a[PAD_H] = same ? 0 : p[0];
        a[PAD_W] = same ? 0 : p[1];
        a[DILATION_H] = dil[0];
        a[DILATION_W] = dil[1];
        a[SAME_MODE] = same ? 1 : 0;
        a[CONV_DATA_FORMAT] = NCHW;
        a[CONV_WEIGHT_FORMAT] = weightFormat;
        return a;
    }

    /** maxpool2d arguments, NCHW, from a DL4J pooling layer's kernel, stride, padding, dilation and mode. */
    static int[] pool2d(int[] k, int[] s, int[] p, int[] d, ConvolutionMode mode) {
        int[] a = conv2d(k, s, p, d, mode, 0);
        a[POOL_EXTRA_PARAM] = 0;
        a[POOL_DATA_FORMAT] = NCHW;
        return a;
    }

    /** im2col arguments for one image of a convolution with explicit padding {@code pad} = {top, left}. */
    static int[] im2col(int[] conv, int[] pad) {
        return new int[] {conv[KERNEL_H], conv[KERNEL_W], conv[STRIDE_H], conv[STRIDE_W], pad[0], pad[1],
            conv[DILATION_H], conv[DILATION_W], 0};
    }

    /** col2im arguments back to an image of h x w, for a convolution with explicit padding {@code pad}. */
    static int[] col2im(int[] conv, int[] pad, long h, long w) {
        return new int[] {conv[STRIDE_H], conv[STRIDE_W], pad[0], pad[1], (int) h, (int) w, conv[DILATION_H],
            conv[DILATION_W], 0};
    }
}
