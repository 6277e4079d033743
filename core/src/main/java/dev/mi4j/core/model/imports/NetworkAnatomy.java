package dev.mi4j.core.model.imports;

import dev.mi4j.core.Mi4jException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * What an imported network looks like at its two ends, read from its configuration only (the
 * network is never changed): whether it takes channels-last images, and whether its output is a
 * probability vector (softmax) or logits.
 */
final class NetworkAnatomy {

    /** What the network outputs. */
    enum Output {
        /** A softmax at the end: probabilities. */
        SOFTMAX,
        /** An identity activation at the end: logits (the classifier view applies the softmax). */
        LOGITS
    }

    private NetworkAnatomy() {
    }

    /**
     * True when the network's first layer (or the preprocessor before it) takes NHWC images, as
     * DL4J's Keras import makes channels_last models. A first dense layer behind an NHWC flattening
     * preprocessor counts as channels-last too (it flattens in (h, w, c) order).
     */
    static boolean channelsLast(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return nhwc(net.getLayerWiseConfigurations().getInputPreProcess(0), net.getLayer(0).conf().getLayer());
        }
        ComputationGraphConfiguration conf = ((ComputationGraph) model).getConfiguration();
        String input = conf.getNetworkInputs().get(0);
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (e.getValue().contains(input)) {
                GraphVertex v = conf.getVertices().get(e.getKey());
                if (v instanceof PreprocessorVertex p && nhwc(p.getPreProcessor(), null)) {
                    return true;
                }
                if (v instanceof LayerVertex lv && nhwc(lv.getPreProcessor(), lv.getLayerConf().getLayer())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean nhwc(InputPreProcessor pre, Layer layer) {
        if (pre instanceof CnnToFeedForwardPreProcessor c) {
            return c.getFormat() == CNN2DFormat.NHWC;
        }
        if (layer instanceof ConvolutionLayer c) {
            return c.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        }
        if (layer instanceof SubsamplingLayer s) {
            return s.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        }
        if (layer instanceof BatchNormalization b) {
            return b.getCnn2DFormat() == CNN2DFormat.NHWC;
        }
        if (layer instanceof ZeroPaddingLayer z) {
            return z.getDataFormat() == CNN2DFormat.NHWC;
        }
        return false;
    }

    /**
     * Whether the network ends in a softmax or in logits, walking back from its output over
     * layers that do not change the values at inference (dropout, identity activations).
     *
     * @throws Mi4jException naming the file and the last layer when it is neither (e.g. a sigmoid output)
     */
    static Output output(Model model, String file) {
        List<Layer> fromEnd = new ArrayList<>();
        if (model instanceof MultiLayerNetwork net) {
            for (int i = net.getnLayers() - 1; i >= 0; i--) {
                fromEnd.add(net.getLayer(i).conf().getLayer());
            }
        } else {
            ComputationGraphConfiguration conf = ((ComputationGraph) model).getConfiguration();
            if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
                throw new Mi4jException("model file " + file + " has inputs " + conf.getNetworkInputs() + " and outputs "
                        + conf.getNetworkOutputs() + ": mi4j audits classifiers with one image input and one output");
            }
            String v = conf.getNetworkOutputs().get(0);
            while (v != null && conf.getVertices().get(v) instanceof LayerVertex lv) {
                fromEnd.add(lv.getLayerConf().getLayer());
                List<String> in = conf.getVertexInputs().get(v);
                v = in != null && in.size() == 1 ? in.get(0) : null;
            }
        }
        for (Layer l : fromEnd) {
            if (l instanceof DropoutLayer) {
                continue;   // its configured activation is never applied
            }
            IActivation act = l instanceof ActivationLayer a ? a.getActivationFn()
                    : l instanceof LossLayer loss ? loss.getActivationFn()
                    : l instanceof BaseLayer b ? b.getActivationFn() : null;
            if (act instanceof ActivationSoftmax) {
                return Output.SOFTMAX;
            }
            boolean identity = act == null || act instanceof ActivationIdentity;
            if (identity && (l instanceof ActivationLayer || l instanceof LossLayer)) {
                continue;
            }
            if (identity && l instanceof BaseLayer && !(l instanceof BatchNormalization)) {
                return Output.LOGITS;
            }
            throw new Mi4jException("model file " + file + ": its last layer " + describe(l) + " outputs neither"
                    + " probabilities (softmax) nor logits (identity activation): not a classifier mi4j can audit");
        }
        throw new Mi4jException("model file " + file + ": no layer computes its output (empty network?)");
    }

    private static String describe(Layer l) {
        String name = l.getLayerName() == null ? "" : "\"" + l.getLayerName() + "\" ";
        IActivation act = l instanceof BaseLayer b ? b.getActivationFn() : null;
        return name + "(" + l.getClass().getSimpleName() + (act == null ? "" : ", activation " + act) + ")";
    }
}
