package dev.mi4j.core.model.backprop;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One layer of the {@link FastEngine}: its inference-mode forward pass and its input-epsilon backward pass. */
abstract class Step {

    /** What the fast engine knows, for messages. */
    static final String SUPPORTED = "dense, softmax output, 2-D convolution (NCHW, not causal), max pooling (NCHW),"
            + " dropout and activation layers";

    final InputPreProcessor pre;
    /** Takes and returns NHWC arrays (convolutions and max pools in NHWC mode). */
    boolean nhwc;

    Step(InputPreProcessor pre) {
        this.pre = pre;
    }

    /** Layer output (for the final layer: the logits); records what backward needs. */
    abstract INDArray forward(INDArray x, Frame f);

    /** Epsilon w.r.t. the layer output (final layer: w.r.t. the logits) -> w.r.t. the layer input. */
    abstract INDArray backward(INDArray eps, Frame f);

    /** A ReLU without threshold, negative slope or cap: the one {@link Tensors#relu} computes in Java. */
    static boolean isPlainRelu(org.nd4j.linalg.activations.IActivation act) {
        return act instanceof org.nd4j.linalg.activations.impl.ActivationReLU r && r.getMax() == null
                && (r.getThreshold() == null || r.getThreshold() == 0.0)
                && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0.0);
    }

    /**
     * Why the fast engine cannot run this layer, or null when it can. Exact classes only: a
     * subclass (a deconvolution is a ConvolutionLayer) computes something else.
     */
    static String unsupported(Layer conf, boolean last) {
        if (last) {
            if (conf.getClass() != OutputLayer.class || !(((OutputLayer) conf).getActivationFn() instanceof ActivationSoftmax)) {
                return "the last layer must be a softmax OutputLayer";
            }
            return null;
        }
        if (conf.getClass() == DenseLayer.class) {
            return ((DenseLayer) conf).hasLayerNorm() ? "layer normalisation is not supported" : null;
        }
        if (conf.getClass() == ConvolutionLayer.class) {
            ConvolutionLayer c = (ConvolutionLayer) conf;
            if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return "only NCHW convolutions are supported";
            }
            return c.getConvolutionMode() == ConvolutionMode.Causal ? "causal convolution mode is not supported" : null;
        }
        if (conf.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer s = (SubsamplingLayer) conf;
            if (s.getPoolingType() != PoolingType.MAX) {
                return "only max pooling is supported";
            }
            return s.getCnn2dDataFormat() != CNN2DFormat.NCHW ? "only NCHW pooling is supported" : null;
        }
        if (conf.getClass() == DropoutLayer.class || conf.getClass() == ActivationLayer.class) {
            return null;
        }
        return "not a layer type the fast engine knows";
    }

    /** The step for a layer that {@link #unsupported} accepts. */
    static Step of(org.deeplearning4j.nn.api.Layer layer, InputPreProcessor pre, boolean last, BackpropOptions options,
                   boolean oneDnn) {
        Layer conf = layer.conf().getLayer();
        if (last) {
            return new DenseStep(pre, layer, null);
        }
        if (conf.getClass() == DenseLayer.class) {
            return new DenseStep(pre, layer, ((DenseLayer) conf).getActivationFn());
        }
        if (conf.getClass() == ConvolutionLayer.class) {
            return new ConvStep(pre, layer, (ConvolutionLayer) conf, options, oneDnn);
        }
        if (conf.getClass() == SubsamplingLayer.class) {
            return new MaxPoolStep(pre, (SubsamplingLayer) conf);
        }
        if (conf.getClass() == DropoutLayer.class) {
            return new IdentityStep(pre);
        }
        if (conf.getClass() == ActivationLayer.class) {
            return new ActivationStep(pre, ((ActivationLayer) conf).getActivationFn());
        }
        throw new IllegalStateException("no fast step for " + conf.getClass().getSimpleName());
    }
}
