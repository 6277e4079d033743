package dev.mi4j.defenses.dp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The clipped sum at the heart of DP-SGD: {@code sum_i g_i * min(1, C / ||g_i||)} over a
 * minibatch, g_i the gradient of example i's loss with respect to every parameter (DL4J's summed
 * convention, so a batch of one). Clipping bounds any one example's influence on the step by C,
 * which is what the Gaussian noise is calibrated to hide. Three ways to get it:
 * <ul>
 *   <li>{@link #loop}: one forward and backward pass per example; works for every network and is
 *       the reference.</li>
 *   <li>{@link #dense}: for networks of dense layers only (softmax regression, the MLP), without
 *       dropout: one forward and one backward pass of activations and deltas for the whole
 *       minibatch. Example i's weight gradient of a dense layer is the outer product
 *       {@code a_i delta_i^T}, of Frobenius norm {@code ||a_i|| * ||delta_i||} (Goodfellow 2015,
 *       "Efficient per-example gradient computations"), its bias gradient {@code delta_i}; the
 *       clipped sum is then {@code A^T (c * Delta)} per layer with c the clip factors. (DL4J's
 *       label mask cannot do the weighting: measured, a mask of 0.5 on MCXENT + softmax does not
 *       halve that example's gradient.)</li>
 *   <li>{@link #convolutional}: for networks of {@code ConvolutionLayer} (NCHW, any kernel, stride,
 *       padding, dilation and convolution mode but causal, with or without bias),
 *       {@code SubsamplingLayer} (max, average, p-norm pooling), {@code DenseLayer} and a final
 *       {@code OutputLayer}, with DL4J's preprocessors between them: the zoo's CNN. Also one batched
 *       forward and backward pass; a convolution's per-example weight gradient is computed from its
 *       unfolded input, {@code G_i = delta_i im2col(x_i)^T} (as Opacus does), the dense layers as in
 *       {@link #dense}. See {@link UnfoldedClipping}.</li>
 * </ul>
 * All give the same sum and norms to float rounding (the tests compare them with the loop, in
 * DOUBLE to 1e-9 and in FLOAT to 1e-5). Networks the batched paths refuse fall back to the loop in
 * {@link #auto}: any layer with dropout (not handled: a batched pass would have to draw each
 * example's mask once and use it for both the norm and the sum; no DP target of the zoo has
 * dropout), weight noise or a randomised activation (RReLU); batch normalisation (its batch
 * statistics mix the examples of a minibatch, so per-example gradients, and with them DP-SGD's
 * per-example sensitivity, are not defined for it; the loop's batch of one uses that one example's
 * statistics instead, a different network in effect); layer normalisation in a dense layer; every
 * other layer type. The regulariser of the network's configuration is part of none of the three.
 */
public final class PerExampleClipping {

    /**
     * A clipped sum and what clipping did.
     *
     * @param sum      the clipped per-example gradients summed, flattened in {@code net.params()}'s layout
     * @param norms    each example's gradient norm before clipping
     * @param meanLoss the minibatch's mean loss (NaN for an empty minibatch)
     */
    public record ClippedSum(INDArray sum, double[] norms, double meanLoss) {

        /** How many examples were clipped (norm above C). */
        public int clipped(double clip) {
            int k = 0;
            for (double n : norms) {
                if (n > clip) {
                    k++;
                }
            }
            return k;
        }
    }

    private PerExampleClipping() {
    }

    /** Clip factor min(1, C / norm); a zero gradient stays zero. */
    static double factor(double norm, double clip) {
        return norm > clip ? clip / norm : 1.0;
    }

    /**
     * {@link #dense} when {@link #denseEligible} says so, else {@link #convolutional} when
     * {@link #convolutionalEligible} says so, else {@link #loop}.
     */
    public static ClippedSum auto(MultiLayerNetwork net, INDArray features, INDArray labels, double clip) {
        if (denseEligible(net)) {
            return dense(net, features, labels, clip);
        }
        return convolutionalEligible(net) ? convolutional(net, features, labels, clip)
                : loop(net, features, labels, clip);
    }

    /** The method {@link #auto} uses for {@code net}: "dense-norms", "conv-unfolded" or "per-example-loop". */
    public static String method(MultiLayerNetwork net) {
        return denseEligible(net) ? "dense-norms" : convolutionalEligible(net) ? "conv-unfolded" : "per-example-loop";
    }

    /**
     * Whether {@link #convolutional} applies: convolution (NCHW, not causal), subsampling (NCHW),
     * dense (without layer normalisation) layers and a final output layer, none with dropout, weight
     * noise or an RReLU activation. Dense-only networks qualify too ({@link #auto} gives them
     * {@link #dense}).
     */
    public static boolean convolutionalEligible(MultiLayerNetwork net) {
        return UnfoldedClipping.refusal(net) == null;
    }

    /**
     * Norms and clipped sum from one batched forward and backward pass, convolutions through their
     * unfolded inputs; requires {@link #convolutionalEligible} (else an exception that says which
     * layer is refused and why).
     */
    public static ClippedSum convolutional(MultiLayerNetwork net, INDArray features, INDArray labels, double clip) {
        checkClip(clip);
        return UnfoldedClipping.clippedSum(net, features, labels, clip);
    }

    /**
     * Whether {@link #dense} applies: every layer a {@code DenseLayer} (without layer normalisation)
     * or a final {@code OutputLayer}, with neither dropout nor weight noise (whose random draws would
     * differ between the norm pass and the sum pass, breaking the bound) nor an RReLU activation:
     * {@link #convolutionalEligible}'s conditions with dense layers only.
     */
    public static boolean denseEligible(MultiLayerNetwork net) {
        for (int l = 0; l < net.getnLayers(); l++) {
            Class<?> c = net.getLayer(l).conf().getLayer().getClass();
            if (c != DenseLayer.class && c != OutputLayer.class) {
                return false;
            }
        }
        return UnfoldedClipping.refusal(net) == null;
    }

    /** The reference: one backward pass per example. */
    public static ClippedSum loop(MultiLayerNetwork net, INDArray features, INDArray labels, double clip) {
        checkClip(clip);
        int b = features == null ? 0 : (int) features.size(0);
        INDArray sum = Nd4j.zeros(net.params().dataType(), net.numParams());
        double[] norms = new double[b];
        double loss = 0;
        for (int i = 0; i < b; i++) {
            net.setInput(row(features, i));
            net.setLabels(row(labels, i));
            net.computeGradientAndScore();
            INDArray g = net.getFlattenedGradients().reshape(net.numParams());
            norms[i] = g.castTo(DataType.DOUBLE).norm2Number().doubleValue(); // a float sum of 1e6 squares is 1e-4 off
            sum.addi(g.mul(factor(norms[i], clip)));
            loss += net.score() - net.calcRegularizationScore(true); // the example's loss, penalty excluded
        }
        return new ClippedSum(sum, norms, b == 0 ? Double.NaN : loss / b);
    }

    /** Norms and clipped sum from one pass of activations and deltas; requires {@link #denseEligible}. */
    public static ClippedSum dense(MultiLayerNetwork net, INDArray features, INDArray labels, double clip) {
        checkClip(clip);
        if (!denseEligible(net)) {
            throw new IllegalArgumentException("net: dense per-example norms need dense and output layers only,"
                    + " without dropout or weight noise");
        }
        int b = features == null ? 0 : (int) features.size(0);
        if (b == 0) {
            return new ClippedSum(Nd4j.zeros(net.params().dataType(), net.numParams()), new double[0], Double.NaN);
        }
        int layers = net.getnLayers();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        List<INDArray> inputs = new ArrayList<>(layers);
        List<INDArray> preOut = new ArrayList<>(layers);
        INDArray a = features;
        for (int l = 0; l < layers; l++) {
            InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(l);
            if (pp != null) {
                a = pp.preProcess(a, b, mgr);
            }
            inputs.add(a);
            INDArray z = a.mmul(net.getParam(l + "_W"));
            if (net.paramTable().containsKey(l + "_b")) {
                z.addiRowVector(net.getParam(l + "_b"));
            }
            preOut.add(z);
            a = activation(net.getLayer(l)).getActivation(z.dup(), true);
        }
        OutputLayer out = (OutputLayer) net.getLayer(layers - 1).conf().getLayer();
        ILossFunction lossFn = out.getLossFn();
        INDArray zOut = preOut.get(layers - 1);
        double meanLoss = lossFn.computeScore(labels, zOut.dup(), out.getActivationFn(), null, true);
        INDArray delta = lossFn.computeGradient(labels, zOut.dup(), out.getActivationFn(), null);
        INDArray[] deltas = new INDArray[layers];
        double[] sq = new double[b];
        for (int l = layers - 1; l >= 0; l--) {
            deltas[l] = delta;
            double[] in2 = rowSquares(inputs.get(l));
            double[] d2 = rowSquares(delta);
            boolean bias = net.paramTable().containsKey(l + "_b");
            for (int i = 0; i < b; i++) {
                sq[i] += in2[i] * d2[i] + (bias ? d2[i] : 0);
            }
            if (l > 0) {
                INDArray eps = delta.mmul(net.getParam(l + "_W").transpose());
                delta = activation(net.getLayer(l - 1)).backprop(preOut.get(l - 1).dup(), eps).getFirst();
            }
        }
        double[] norms = new double[b];
        INDArray factors = Nd4j.create(net.params().dataType(), b, 1);
        for (int i = 0; i < b; i++) {
            norms[i] = Math.sqrt(sq[i]);
            factors.putScalar(i, 0, factor(norms[i], clip));
        }
        // The clipped sum from the same activations and deltas: layer l's weight gradient is
        // inputs_l^T (c * delta_l), its bias gradient the column sums of c * delta_l, written into the
        // flattened layout through the views DL4J's own parameter initialiser defines.
        INDArray sum = Nd4j.zeros(net.params().dataType(), net.numParams());
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            Layer layer = net.getLayer(l);
            long count = layer.numParams();
            INDArray slice = sum.get(NDArrayIndex.interval(offset, offset + count));
            Map<String, INDArray> views = layer.conf().getLayer().initializer()
                    .getGradientsFromFlattened(layer.conf(), slice);
            INDArray scaled = deltas[l].mulColumnVector(factors);
            // Straight into the gradient's 'f'-order view: computing x^T * scaled in 'c' order and assigning it
            // there was a strided transposing copy (measured 1.5-2 s per step for the MLP's 10304 x 3000 weights).
            Nd4j.gemm(inputs.get(l), scaled, views.get("W"), true, false, 1.0, 0.0);
            if (views.containsKey("b")) {
                views.get("b").assign(scaled.sum(true, 0).reshape(views.get("b").shape()));
            }
            offset += count;
        }
        return new ClippedSum(sum, norms, meanLoss);
    }

    private static IActivation activation(Layer layer) {
        return ((BaseLayer) layer.conf().getLayer()).getActivationFn();
    }

    private static double[] rowSquares(INDArray m) {
        INDArray d = m.castTo(DataType.DOUBLE);
        return d.mul(d).sum(1).toDoubleVector();
    }

    /** Example i as a batch of one, keeping every other dimension. */
    static INDArray row(INDArray x, int i) {
        INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
        idx[0] = NDArrayIndex.interval(i, i + 1);
        for (int d = 1; d < idx.length; d++) {
            idx[d] = NDArrayIndex.all();
        }
        return x.get(idx);
    }

    private static void checkClip(double clip) {
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clip: must be finite and > 0, got " + clip);
        }
    }
}
