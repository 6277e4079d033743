package dev.mi4j.defenses.dp;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * {@link PerExampleClipping#convolutional}: per-example gradient norms and the clipped sum for
 * networks of convolution, pooling, dense and output layers, from one batched forward and one
 * batched backward pass (the method Opacus uses for {@code Conv2d}).
 *
 * <p>Forward: each convolution's input is unfolded with ND4J's {@code im2col} into
 * {@code cols} [B, K, P] (K = ic*kh*kw rows in the order (c, ky, kx), P = oh*ow output positions),
 * with DL4J's own padding rules ({@code ConvolutionUtils}, "Same" padding top-left), and the
 * pre-activation of example i is {@code W cols_i + b} with W the weights [oc, ic, kh, kw] read as
 * [oc, K]; the unfolded inputs are kept. Pooling layers run through DL4J's own layer
 * ({@code activate}, {@code backpropGradient}); dense and output layers as in the dense path; the
 * preprocessors between layers through their {@code preProcess} and {@code backprop}.
 * Backward: the deltas dL/dz of every layer for the whole minibatch. Example i's weight gradient of
 * a convolution is {@code G_i = delta_i cols_i^T} [oc, K], already in DL4J's [oc, ic, kh, kw]
 * order, its bias gradient the row sums of {@code delta_i} [oc, P]; the epsilon to the layer below
 * is {@code col2im(W^T delta_i)}, the transposed convolution. The G_i are small (4,608 numbers per
 * example for the CNN's second convolution) and kept, so the clipped sum is {@code sum_i c_i G_i},
 * one [1, B] x [B, oc*K] product. Dense layers use {@code ||a_i|| * ||delta_i||} and
 * {@code A^T (c * Delta)}.
 *
 * <p>Every per-example product is one GEMM per example over that example's contiguous slice (three
 * per convolution and example): as many FLOPs as DL4J's batched convolution, with the unfolded
 * input in its natural layout (DL4J's own convolution unfolds into a permuted layout, measured
 * several times slower on the CPU backend). Memory: the unfolded inputs of all convolutions at once,
 * B*K*P numbers per layer (about 80 MB in float for the CNN on 32 AT&amp;T faces).
 */
final class UnfoldedClipping {

    private UnfoldedClipping() {
    }

    /** Why {@code net} is not eligible, or null when it is. */
    static String refusal(MultiLayerNetwork net) {
        int layers = net.getnLayers();
        if (layers == 0 || net.getLayer(layers - 1).conf().getLayer().getClass() != OutputLayer.class) {
            return "the last layer must be an OutputLayer";
        }
        for (int l = 0; l < layers; l++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = net.getLayer(l).conf().getLayer();
            Class<?> c = conf.getClass();
            String at = "layer " + l + " (" + c.getSimpleName() + ")";
            if (conf.getIDropout() != null) {
                return at + " has dropout";
            }
            if (c == ConvolutionLayer.class) {
                ConvolutionLayer conv = (ConvolutionLayer) conf;
                if (conv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                    return at + " is not NCHW";
                }
                if (conv.getConvolutionMode() == ConvolutionMode.Causal) {
                    return at + " uses causal convolution mode";
                }
            } else if (c == SubsamplingLayer.class) {
                if (((SubsamplingLayer) conf).getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                    return at + " is not NCHW";
                }
            } else if (c == DenseLayer.class) {
                if (((DenseLayer) conf).hasLayerNorm()) {
                    return at + " has layer normalisation";
                }
            } else if (c != OutputLayer.class || l != layers - 1) {
                return at + " is not a convolution, subsampling, dense or final output layer";
            }
            if (conf instanceof BaseLayer base) {
                if (base.getWeightNoise() != null) {
                    return at + " has weight noise";
                }
                if (base.getActivationFn() instanceof ActivationRReLU) {
                    return at + " has a randomised activation (RReLU)";
                }
            }
        }
        return null;
    }

    static PerExampleClipping.ClippedSum clippedSum(MultiLayerNetwork net, INDArray features, INDArray labels,
                                                    double clip) {
        String why = refusal(net);
        if (why != null) {
            throw new IllegalArgumentException("net: batched per-example norms need convolution, subsampling, dense"
                    + " and output layers without dropout or weight noise: " + why);
        }
        DataType type = net.params().dataType();
        int b = features == null ? 0 : (int) features.size(0);
        if (b == 0) {
            return new PerExampleClipping.ClippedSum(Nd4j.zeros(type, net.numParams()), new double[0], Double.NaN);
        }
        int layers = net.getnLayers();
        int lowest = 0;
        while (net.getLayer(lowest).numParams() == 0) {
            lowest++; // no epsilon is needed below the lowest layer with parameters
        }
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray[] inputs = new INDArray[layers];
        INDArray[] preOut = new INDArray[layers];
        Conv[] convs = new Conv[layers];
        INDArray a = features.castTo(type);
        for (int l = 0; l < layers; l++) {
            InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(l);
            if (pp != null) {
                a = pp.preProcess(a, b, mgr);
            }
            inputs[l] = a;
            Layer layer = net.getLayer(l);
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof SubsamplingLayer) {
                layer.setInput(a, mgr);
                a = layer.activate(true, mgr);
                continue;
            }
            INDArray z;
            if (conf instanceof ConvolutionLayer conv) {
                convs[l] = new Conv(conv, net.getParam(l + "_W"), a);
                z = convs[l].forward(a, b, bias(net, l));
            } else {
                z = a.mmul(net.getParam(l + "_W"));
                INDArray bias = bias(net, l);
                if (bias != null) {
                    z.addiRowVector(bias);
                }
            }
            preOut[l] = z;
            a = activation(layer).getActivation(z.dup(), true);
        }

        OutputLayer out = (OutputLayer) net.getLayer(layers - 1).conf().getLayer();
        ILossFunction lossFn = out.getLossFn();
        INDArray y = labels.castTo(type);
        INDArray zOut = preOut[layers - 1];
        double meanLoss = lossFn.computeScore(y, zOut.dup(), out.getActivationFn(), null, true);
        INDArray eps = null;
        INDArray[] deltas = new INDArray[layers]; // dense layers: [B, nOut]
        INDArray[] convGrads = new INDArray[layers]; // convolutions: per-example weight gradients [B, oc*K]
        INDArray[] convBiasGrads = new INDArray[layers]; // convolutions: per-example bias gradients [B, oc]
        double[] sq = new double[b];
        for (int l = layers - 1; l >= lowest; l--) {
            Layer layer = net.getLayer(l);
            boolean needEps = l > lowest;
            if (layer.numParams() == 0) { // pooling: DL4J's own backward pass
                layer.setInput(inputs[l], mgr);
                eps = layer.backpropGradient(eps, mgr).getSecond();
            } else {
                INDArray delta = l == layers - 1 ? lossFn.computeGradient(y, zOut.dup(), out.getActivationFn(), null)
                        : activation(layer).backprop(preOut[l].dup(), eps).getFirst();
                boolean hasBias = net.paramTable().containsKey(l + "_b");
                if (convs[l] != null) {
                    Conv conv = convs[l];
                    INDArray d3 = delta.reshape('c', b, conv.oc, conv.positions);
                    convGrads[l] = conv.perExampleWeightGradients(d3, b);
                    addRowSquares(sq, convGrads[l]);
                    if (hasBias) {
                        convBiasGrads[l] = d3.sum(2);
                        addRowSquares(sq, convBiasGrads[l]);
                    }
                    eps = needEps ? conv.backwardInput(d3, b) : null;
                } else {
                    deltas[l] = delta;
                    double[] in2 = rowSquares(inputs[l]);
                    double[] d2 = rowSquares(delta);
                    for (int i = 0; i < b; i++) {
                        sq[i] += in2[i] * d2[i] + (hasBias ? d2[i] : 0);
                    }
                    eps = needEps ? delta.mmul(net.getParam(l + "_W").transpose()) : null;
                }
            }
            InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(l);
            if (needEps && pp != null) {
                eps = pp.backprop(eps, b, mgr);
            }
        }
        for (int l = 0; l < layers; l++) {
            if (net.getLayer(l).numParams() == 0) {
                net.getLayer(l).clear(); // the pooling layers' inputs set above
            }
        }

        double[] norms = new double[b];
        INDArray factors = Nd4j.create(type, b, 1);
        for (int i = 0; i < b; i++) {
            norms[i] = Math.sqrt(sq[i]);
            factors.putScalar(i, 0, PerExampleClipping.factor(norms[i], clip));
        }
        INDArray sum = Nd4j.zeros(type, net.numParams());
        long offset = 0;
        INDArray factorRow = factors.reshape(1, b);
        for (int l = 0; l < layers; l++) {
            Layer layer = net.getLayer(l);
            long count = layer.numParams();
            if (count == 0) {
                continue;
            }
            INDArray slice = sum.get(NDArrayIndex.interval(offset, offset + count));
            Map<String, INDArray> views = layer.conf().getLayer().initializer()
                    .getGradientsFromFlattened(layer.conf(), slice);
            if (convs[l] != null) {
                // sum_i c_i G_i: each row of convGrads is in DL4J's [oc, ic, kh, kw] order already
                views.get("W").assign(factorRow.mmul(convGrads[l]).reshape('c', views.get("W").shape()));
                if (views.containsKey("b")) {
                    views.get("b").assign(factorRow.mmul(convBiasGrads[l]).reshape(views.get("b").shape()));
                }
            } else {
                INDArray scaled = deltas[l].mulColumnVector(factors);
                views.get("W").assign(inputs[l].transpose().mmul(scaled));
                if (views.containsKey("b")) {
                    views.get("b").assign(scaled.sum(true, 0).reshape(views.get("b").shape()));
                }
            }
            offset += count;
        }
        return new PerExampleClipping.ClippedSum(sum, norms, meanLoss);
    }

    /** One convolution layer's geometry (as DL4J's {@code ConvolutionLayer} computes it) and its unfolded input. */
    private static final class Conv {
        final INDArray w2d; // [oc, K], a view of the weights [oc, ic, kh, kw]
        final int oc;
        final int ic;
        final int kh;
        final int kw;
        final int k;
        final int inH;
        final int inW;
        final int outH;
        final int outW;
        final int positions;
        final int[] stride;
        final int[] pad;
        final int[] dilation;
        final boolean same;
        INDArray cols; // [B, K, P]: example i's unfolded input, row (c, ky, kx), column (y, x)

        Conv(ConvolutionLayer conf, INDArray weights, INDArray input) {
            oc = (int) weights.size(0);
            ic = (int) weights.size(1);
            kh = (int) weights.size(2);
            kw = (int) weights.size(3);
            k = ic * kh * kw;
            w2d = weights.reshape('c', oc, k);
            inH = (int) input.size(2);
            inW = (int) input.size(3);
            int[] kernel = conf.getKernelSize();
            stride = conf.getStride();
            dilation = conf.getDilation();
            same = conf.getConvolutionMode() == ConvolutionMode.Same;
            int[] outSize;
            if (same) {
                outSize = ConvolutionUtils.getOutputSize(input, kernel, stride, null, ConvolutionMode.Same, dilation,
                        CNN2DFormat.NCHW);
                pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, new int[] {inH, inW}, kernel, stride, dilation);
            } else {
                pad = conf.getPadding();
                outSize = ConvolutionUtils.getOutputSize(input, kernel, stride, pad, conf.getConvolutionMode(), dilation,
                        CNN2DFormat.NCHW);
            }
            outH = outSize[0];
            outW = outSize[1];
            positions = outH * outW;
        }

        /** The pre-activation [B, oc, oh, ow], {@code W cols_i + b} per example; keeps the unfolded input. */
        INDArray forward(INDArray input, int b, INDArray bias) {
            INDArray col = Nd4j.createUninitialized(input.dataType(), new long[] {b, ic, kh, kw, outH, outW}, 'c');
            Convolution.im2col(input, kh, kw, stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1], same, col);
            cols = col.reshape('c', b, k, positions);
            INDArray z = Nd4j.createUninitialized(input.dataType(), new long[] {b, oc, positions}, 'c');
            for (int i = 0; i < b; i++) {
                Nd4j.gemm(w2d, example(cols, i), example(z, i), false, false, 1.0, 0.0);
            }
            if (bias != null) {
                Nd4j.getExecutioner().exec(new BroadcastAddOp(z, bias.reshape(oc), z, 1));
            }
            return z.reshape('c', b, oc, outH, outW);
        }

        /** Row i: example i's weight gradient {@code delta_i cols_i^T} [oc, K] flattened: [B, oc*K]. */
        INDArray perExampleWeightGradients(INDArray delta, int b) {
            INDArray g = Nd4j.createUninitialized(delta.dataType(), new long[] {b, oc, k}, 'c');
            for (int i = 0; i < b; i++) {
                Nd4j.gemm(example(delta, i), example(cols, i), example(g, i), false, true, 1.0, 0.0);
            }
            return g.reshape('c', b, (long) oc * k);
        }

        /** The epsilon to the layer below, [B, ic, inH, inW]: col2im of {@code W^T delta_i}. */
        INDArray backwardInput(INDArray delta, int b) {
            INDArray epsCols = Nd4j.createUninitialized(delta.dataType(), new long[] {b, k, positions}, 'c');
            for (int i = 0; i < b; i++) {
                Nd4j.gemm(w2d, example(delta, i), example(epsCols, i), true, false, 1.0, 0.0);
            }
            INDArray eps = Nd4j.create(delta.dataType(), b, ic, inH, inW);
            Convolution.col2im(epsCols.reshape('c', b, ic, kh, kw, outH, outW), eps, stride[0], stride[1], pad[0],
                    pad[1], inH, inW, dilation[0], dilation[1]);
            return eps;
        }

        /** Example i of a c-order [B, r, c] array: a contiguous [r, c] view. */
        private static INDArray example(INDArray a, int i) {
            return a.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
        }
    }

    private static INDArray bias(MultiLayerNetwork net, int l) {
        return net.paramTable().containsKey(l + "_b") ? net.getParam(l + "_b") : null;
    }

    private static IActivation activation(Layer layer) {
        return ((BaseLayer) layer.conf().getLayer()).getActivationFn();
    }

    private static double[] rowSquares(INDArray m) {
        INDArray d = m.reshape(m.size(0), m.length() / m.size(0)).castTo(DataType.DOUBLE);
        return d.mul(d).sum(1).toDoubleVector();
    }

    private static void addRowSquares(double[] sq, INDArray m) {
        double[] r = rowSquares(m);
        for (int i = 0; i < sq.length; i++) {
            sq[i] += r[i];
        }
    }
}
