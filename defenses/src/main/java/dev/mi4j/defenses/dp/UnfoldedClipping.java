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
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * {@link PerExampleClipping#convolutional}: per-example gradient norms and the clipped sum for
 * networks of convolution, pooling, dense and output layers, from one batched forward and one
 * batched backward pass (the method Opacus uses for {@code Conv2d}).
 *
 * <p>Forward: each convolution is done here as DL4J does it, by unfolding the layer's input with
 * {@code im2col} into {@code cols} [B*oh*ow, ic*kh*kw] (rows example-major) and one GEMM with the
 * weights [oc, ic*kh*kw]; the unfolded input is kept. Pooling layers run through DL4J's own layer
 * ({@code activate}/{@code backpropGradient}); dense and output layers as in the dense path.
 * Backward: the deltas dL/dz of every layer for the whole minibatch; a convolution's epsilon to the
 * layer below is {@code col2im(delta W)} (one GEMM), the transposed convolution. Example i's weight
 * gradient of a convolution is {@code G_i = cols_i^T delta_i} [ic*kh*kw, oc] (one GEMM per example
 * over its own oh*ow rows: as many FLOPs as DL4J's batched weight gradient), its bias gradient the
 * column sums of {@code delta_i}; the G_i are small (a few thousand numbers per example for the
 * zoo's CNNs) and kept, so the clipped sum is {@code sum_i c_i G_i}, permuted into DL4J's weight
 * layout [oc, ic, kh, kw] (the column index of {@code cols} runs over (ic, kh, kw) in that order).
 * Dense layers use {@code ||a_i|| * ||delta_i||} and {@code A^T (c * Delta)}.
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
        INDArray[] convGrads = new INDArray[layers]; // convolutions: per-example weight gradients [B, K*oc]
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
                    INDArray d2 = conv.rows(delta, b);
                    convGrads[l] = conv.perExampleWeightGradients(d2, b);
                    addRowSquares(sq, convGrads[l]);
                    if (hasBias) {
                        convBiasGrads[l] = d2.reshape('c', b, conv.positions, conv.oc).sum(1);
                        addRowSquares(sq, convBiasGrads[l]);
                    }
                    eps = needEps ? conv.backwardInput(d2, b) : null;
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
                Conv conv = convs[l];
                // sum_i c_i G_i, [K, oc] -> DL4J's [oc, ic, kh, kw]
                INDArray g = factorRow.mmul(convGrads[l]).reshape('c', conv.k, conv.oc);
                views.get("W").assign(g.transpose().dup('c').reshape('c', views.get("W").shape()));
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
        INDArray cols; // [B*oh*ow, K]: row (i, y, x), column (c, ky, kx)

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

        /** The pre-activation [B, oc, oh, ow]; keeps the unfolded input. */
        INDArray forward(INDArray input, int b, INDArray bias) {
            INDArray col = Nd4j.createUninitialized(input.dataType(), new long[] {b, outH, outW, ic, kh, kw}, 'c');
            Convolution.im2col(input, kh, kw, stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1], same,
                    col.permute(0, 3, 4, 5, 1, 2));
            cols = col.reshape('c', (long) b * positions, k);
            INDArray z = cols.mmul(w2d.transpose()); // [B*P, oc]
            if (bias != null) {
                z.addiRowVector(bias.reshape(1, oc));
            }
            return z.reshape('c', b, outH, outW, oc).permute(0, 3, 1, 2).dup('c');
        }

        /** Deltas [B, oc, oh, ow] as rows matching {@link #cols}: [B*P, oc]. */
        INDArray rows(INDArray delta, int b) {
            return delta.permute(0, 2, 3, 1).dup('c').reshape('c', (long) b * positions, oc);
        }

        /** Row i: example i's weight gradient {@code cols_i^T delta_i} [K, oc], flattened: [B, K*oc]. */
        INDArray perExampleWeightGradients(INDArray d2, int b) {
            INDArray g = Nd4j.create(d2.dataType(), (long) b * k, oc);
            for (int i = 0; i < b; i++) {
                INDArray colsI = cols.get(NDArrayIndex.interval((long) i * positions, (long) (i + 1) * positions),
                        NDArrayIndex.all());
                INDArray dI = d2.get(NDArrayIndex.interval((long) i * positions, (long) (i + 1) * positions),
                        NDArrayIndex.all());
                INDArray gI = g.get(NDArrayIndex.interval((long) i * k, (long) (i + 1) * k), NDArrayIndex.all());
                Nd4j.gemm(colsI, dI, gI, true, false, 1.0, 0.0);
            }
            return g.reshape('c', b, (long) k * oc);
        }

        /** The epsilon to the layer below, [B, ic, inH, inW]: col2im of {@code delta W}. */
        INDArray backwardInput(INDArray d2, int b) {
            INDArray epsCols = d2.mmul(w2d); // [B*P, K]
            INDArray eps6 = epsCols.reshape('c', b, outH, outW, ic, kh, kw).permute(0, 3, 4, 5, 1, 2);
            INDArray eps = Nd4j.create(d2.dataType(), b, ic, inH, inW);
            Convolution.col2im(eps6, eps, stride[0], stride[1], pad[0], pad[1], inH, inW, dilation[0], dilation[1]);
            return eps;
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
