package dev.mi4j.experiments.bench;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The work an input-gradient step cannot avoid, for a roofline: the multiply-adds of the forward
 * pass and of the backward pass to the input (no weight gradients) through the dense and
 * convolution layers, and the bytes that must cross memory at least: the weights, read once in
 * the forward and once in the backward pass (a step's weights are far larger than the cache for
 * the paper's models; for small ones this overstates the traffic, and the compute bound binds
 * anyway), and every activation, written forward and read back. Element-wise work (activations,
 * the update, the clamp) is left out: it is part of what the roofline says a step should not cost.
 *
 * @param flops floating-point operations (2 per multiply-add)
 * @param bytes bytes moved at least
 */
public record StepCost(double flops, double bytes) {

    /** The cost of one step of {@code n} images through {@code net} (shapes from one forward pass). */
    public static StepCost of(MultiLayerNetwork net, long[] imageShape, int n) {
        long[] shape = new long[imageShape.length + 1];
        shape[0] = n;
        System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
        INDArray x = Nd4j.zeros(DataType.FLOAT, shape);
        List<INDArray> acts = net.feedForward(x, false);
        double flops = 0;
        double bytes = 4.0 * x.length();
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            INDArray out = acts.get(i + 1);
            bytes += 2 * 4.0 * out.length();
            INDArray w = layers[i].getParam("W");
            if (w == null) {
                continue;
            }
            bytes += 2 * 4.0 * w.length();
            if (w.rank() == 4) {
                // Convolution [outC, inC, kh, kw]: each output element is inC*kh*kw multiply-adds.
                flops += 2 * 2.0 * out.length() * w.size(1) * w.size(2) * w.size(3);
            } else if (w.rank() == 2) {
                // Dense [in, out]: n*in*out multiply-adds forward and again backward.
                flops += 2 * 2.0 * n * w.size(0) * w.size(1);
            }
        }
        return new StepCost(flops, bytes);
    }
}
