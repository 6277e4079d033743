package dev.mi4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** FusedAdam is DL4J's Adam: the same moments and updates, bit for bit. */
class FusedAdamTest {

    @TempDir
    Path tmp;

    @Test
    void matchesDl4jsAdamOverManySteps() {
        int n = 200_003; // not a multiple of the chunk or of the thread count
        INDArray fusedState = Nd4j.zeros(DataType.FLOAT, 2L * n);
        INDArray refState = Nd4j.zeros(DataType.FLOAT, 2L * n);
        GradientUpdater fused = new FusedAdam(1e-3).instantiate(fusedState, true);
        GradientUpdater ref = new Adam(1e-3).instantiate(refState, true);
        Nd4j.getRandom().setSeed(7);
        double worst = 0;
        for (int it = 0; it < 20; it++) {
            INDArray g = Nd4j.randn(DataType.FLOAT, n).muli(it % 3 == 0 ? 10 : 0.01);
            INDArray a = g.dup();
            INDArray b = g.dup();
            fused.applyUpdater(a, it, 0);
            ref.applyUpdater(b, it, 0);
            // relative difference of the updates, against the update's own size
            double diff = a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
            worst = Math.max(worst, diff);
        }
        assertEquals(refState, fusedState, "first and second moments identical");
        assertEquals(0.0, worst, "updates identical");
    }

    /** The step size of every iteration a long training reaches, as ND4J's op rounds it (one element, so the update is it). */
    @Test
    void stepSizeHasTheOpsBitsAtEveryIteration() {
        GradientUpdater fused = new FusedAdam(1e-3).instantiate(Nd4j.zeros(DataType.FLOAT, 2), true);
        GradientUpdater ref = new Adam(1e-3).instantiate(Nd4j.zeros(DataType.FLOAT, 2), true);
        for (int it = 0; it < 30_000; it++) {
            INDArray a = Nd4j.scalar(DataType.FLOAT, 0.5f).reshape(1);
            INDArray b = a.dup();
            fused.applyUpdater(a, it, 0);
            ref.applyUpdater(b, it, 0);
            int iteration = it;
            assertEquals(b.getFloat(0), a.getFloat(0), () -> "iteration " + iteration);
        }
    }

    @Test
    void savedWithTheNetworkAndRestored() throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new FusedAdam(2e-3))
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, i % 3, 1);
        }
        net.fit(x, y);
        File f = tmp.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertTrue(back.getLayer(0).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer l
                && l.getIUpdater() instanceof FusedAdam, "the updater is FusedAdam after a round trip");
        assertEquals(net.params(), back.params());
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
    }
}
