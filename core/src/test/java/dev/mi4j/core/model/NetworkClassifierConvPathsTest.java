package dev.mi4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.testing.ConvPaths;
import dev.mi4j.core.testing.SharedDatasets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Every convolution path of {@link NetworkClassifier} (forward: libnd4j conv2d or im2col + GEMM;
 * backward: conv2d_bp, conv2d_input_bp, GEMM + col2im, or the flipped-kernel forward convolution;
 * the ReLU mask applied after the max pool; NCHW and NHWC layouts) on the CNN target at the AT&amp;T size, on real
 * faces: the batched input gradient against DL4J's own backprop
 * ({@link MultiLayerNetwork#calculateGradients}) and against one image at a time. The max
 * absolute differences are printed; they must stay at float rounding level.
 */
class NetworkClassifierConvPathsTest {

    private static final ImageShape SHAPE = new ImageShape(1, 112, 92);
    private static final int CLASSES = 40;
    private static final int N = 6;
    private static final int[] TARGETS = {0, 7, 13, 21, 30, 39};

    private static MultiLayerNetwork net;
    private static INDArray faces;
    private static INDArray dl4jGradient;

    @BeforeAll
    static void setUp() {
        net = Architecture.CNN.build(SHAPE, CLASSES, 3);
        faces = Nd4j.create(DataType.FLOAT, N, 1, SHAPE.height(), SHAPE.width());
        for (int i = 0; i < N; i++) {
            faces.get(NDArrayIndex.point(i)).assign(SharedDatasets.attFace("s" + (1 + 7 * i) + "/" + (1 + i) + ".pgm"));
        }
        // The faces' flat backgrounds give exactly tied maxima in the pooling windows. Two
        // convolutions that sum in different orders (libnd4j's conv2d and DL4J's im2col + GEMM)
        // break such ties differently, and the gradient goes to a different pixel of the window:
        // a 2% difference at a few pixels, from rounding alone. Noise of 1/1000 removes the ties.
        Nd4j.getRandom().setSeed(17);
        faces.addi(Nd4j.rand(DataType.FLOAT, faces.shape()).muli(1e-3));
        // DL4J's loss is -log p per example; the 1/N of the minibatch mean is applied later, to
        // the parameter gradients only: its input gradient is dL/dx of each example's -log p.
        INDArray labels = Nd4j.create(DataType.FLOAT, N, CLASSES);
        for (int i = 0; i < N; i++) {
            labels.putScalar(i, TARGETS[i], 1.0);
        }
        dl4jGradient = net.calculateGradients(faces, labels, null, null).getSecond().dup();
    }

    private static NetworkClassifier classifier(String layout, String forward, String backward) {
        return ConvPaths.with(layout, forward, backward, () -> new NetworkClassifier(net, SHAPE));
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b.reshape(a.shape())), false).maxNumber().doubleValue();
    }

    @Test
    void everyConvolutionPathMatchesDl4jBackpropAndSingleImages() {
        double scale = Transforms.abs(dl4jGradient, true).maxNumber().doubleValue();
        assertTrue(scale > 0, "DL4J's input gradient is zero");
        double worst = 0;
        String[][] paths = {
            {"auto", "auto", "auto"}, {"nchw", "op", "bp"}, {"nchw", "op", "input_bp"}, {"nchw", "op", "gemm"},
            {"nchw", "op", "flip"}, {"nchw", "gemm", "bp"}, {"nchw", "gemm", "input_bp"}, {"nchw", "gemm", "gemm"},
            {"nchw", "gemm", "flip"}, {"nhwc", "auto", "auto"}, {"nhwc", "auto", "bp"}, {"nhwc", "auto", "flip"},
        };
        for (String[] path : paths) {
            {
                String forward = path[1];
                String backward = path[2];
                NetworkClassifier clf = classifier(path[0], forward, backward);
                InputGradient batched = clf.inputGradient(faces, TARGETS, Objective.NEG_LOG_P);
                // A second call runs on the reused work arrays.
                InputGradient again = clf.inputGradient(faces, TARGETS, Objective.NEG_LOG_P);
                assertArrayEquals(faces.shape(), batched.gradient().shape());
                double vsDl4j = maxAbsDiff(batched.gradient(), dl4jGradient);
                double vsAgain = maxAbsDiff(batched.gradient(), again.gradient());
                double vsSingle = 0;
                double costDiff = 0;
                for (int i = 0; i < N; i++) {
                    INDArray one = faces.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.all()).dup();
                    InputGradient s = clf.inputGradient(one, new int[] {TARGETS[i]}, Objective.NEG_LOG_P);
                    vsSingle = Math.max(vsSingle, maxAbsDiff(s.gradient(), batched.gradient().get(
                            NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())));
                    costDiff = Math.max(costDiff, Math.abs(s.cost().getDouble(0) - batched.cost().getDouble(i)));
                }
                System.err.printf("conv paths layout=%s forward=%s backward=%s: max |batched - DL4J backprop| %.3g,"
                                + " max |batched - one image at a time| %.3g, max |call 2 - call 1| %.3g"
                                + " (max |gradient| %.3g), max cost difference %.3g%n",
                        path[0], forward, backward, vsDl4j, vsSingle, vsAgain, scale, costDiff);
                String what = "layout=" + path[0] + " forward=" + forward + " backward=" + backward;
                assertTrue(vsDl4j <= 1e-4 * scale, what + ": vs DL4J " + vsDl4j);
                assertTrue(vsSingle <= 1e-4 * scale, what + ": vs single images " + vsSingle);
                assertTrue(vsAgain <= 1e-5 * scale, what + ": second call " + vsAgain);
                assertTrue(costDiff <= 1e-5, what + ": cost " + costDiff);
                worst = Math.max(worst, Math.max(vsDl4j, vsSingle));
            }
        }
        System.err.printf("conv paths: worst max abs gradient difference %.3g (%.3g of max |gradient|)%n",
                worst, worst / scale);
    }

    @Test
    void flipIsRejectedWhereItDoesNotApply() {
        // Strided convolutions have no flipped-kernel form here; auto falls back silently.
        MultiLayerNetwork strided = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(9, 8, 1)).build());
        strided.init();
        ImageShape small = new ImageShape(1, 9, 8);
        assertThrows(IllegalArgumentException.class,
                () -> ConvPaths.with("auto", "auto", "flip", () -> new NetworkClassifier(strided, small)));
        ConvPaths.with("auto", "auto", "auto", () -> new NetworkClassifier(strided, small))
                .inputGradient(Nd4j.rand(DataType.FLOAT, 2, 1, 9, 8), new int[] {0, 2}, Objective.NEG_LOG_P);
    }
}
