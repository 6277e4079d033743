package dev.mi4j.defenses.dp;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.testing.SharedDatasets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class TmpTimingTest {
    interface R { void run(); }
    static void time(String what, int reps, R r) {
        r.run(); r.run();
        long best = Long.MAX_VALUE; long total = 0;
        for (int i = 0; i < reps; i++) { long t = System.nanoTime(); r.run(); long d = System.nanoTime() - t; best = Math.min(best, d); total += d; }
        System.out.printf("TIMING %s: best %.0f ms, mean %.0f ms over %d%n", what, best / 1e6, total / 1e6 / reps, reps);
    }
    @Test
    void timing() {
        LabeledImages att = SharedDatasets.attFaces(8, 1, 4, 112, 92);
        INDArray x = att.images();
        INDArray y = att.oneHotLabels().castTo(DataType.FLOAT);
        MultiLayerNetwork net = Architecture.CNN.build(att.shape(), 8, 3);
        String only = System.getProperty("only", "all");
        if (!only.equals("loop")) time("conv-unfolded", 6, () -> PerExampleClipping.convolutional(net, x, y, 1.0));
        if (!only.equals("conv")) time("per-example-loop", 4, () -> PerExampleClipping.loop(net, x, y, 1.0));
        if (only.equals("all")) time("DL4J batched computeGradientAndScore (no per-example)", 6, () -> { net.setInput(x); net.setLabels(y); net.computeGradientAndScore(); });
    }
}
