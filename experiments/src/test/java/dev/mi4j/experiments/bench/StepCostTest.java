package dev.mi4j.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** The roofline's work count for the zoo's networks at the AT&T size, against the layer formulas. */
class StepCostTest {

    private static final ImageShape ATT = new ImageShape(1, 112, 92);

    @Test
    void denseNetworksCountTwoGemmsPerLayerAndTheirWeightsTwice() {
        MultiLayerNetwork softmax = Architecture.parse("softmax").build(ATT, 40, 1);
        StepCost c = StepCost.of(softmax, new long[] {1, 112, 92}, 7);
        assertEquals(2 * 2.0 * 7 * 10304 * 40, c.flops());
        // Input once, weights read twice, the [7 x 40] output written and read back.
        assertEquals(4.0 * 7 * 10304 + 2 * 4.0 * 10304 * 40 + 2 * 4.0 * 7 * 40, c.bytes());

        MultiLayerNetwork mlp = Architecture.parse("mlp").build(ATT, 40, 1);
        StepCost m = StepCost.of(mlp, new long[] {1, 112, 92}, 3);
        assertEquals(2 * 2.0 * 3 * (10304.0 * 3000 + 3000 * 40), m.flops());
    }

    @Test
    void convolutionsCountTheirOutputsTimesTheirKernels() {
        MultiLayerNetwork cnn = Architecture.parse("cnn").build(ATT, 40, 1);
        StepCost one = StepCost.of(cnn, new long[] {1, 112, 92}, 1);
        StepCost four = StepCost.of(cnn, new long[] {1, 112, 92}, 4);
        // Every term is per image, the weights' bytes are not.
        assertEquals(4 * one.flops(), four.flops(), 1e-6 * four.flops());
        double weights = 2 * 4.0 * cnn.getLayers()[0].getParam("W").length();
        assertEquals(true, one.flops() > 2 * 2.0 * 112 * 92 * 9, "at least the first 3x3 conv's multiply-adds: " + one.flops());
        assertEquals(true, one.bytes() > weights);
    }

    @Test
    void theRooflineBindsOnTheSlowerLimit() {
        Roofline.Machine m = new Roofline.Machine(100, "gemm", java.util.List.of(), 10, 1, 5);
        Roofline.Bound compute = m.bound(1e9, 1e6);   // 10 ms compute, 0.1 ms memory
        assertEquals("compute", compute.binding());
        assertEquals(10.0, compute.floorMs(), 1e-9);
        assertEquals(0.5, compute.fractionOf(20.0), 1e-12);
        Roofline.Bound memory = m.bound(1e6, 1e9);    // 0.01 ms compute, 100 ms memory
        assertEquals("memory", memory.binding());
        assertEquals(100.0, memory.floorMs(), 1e-9);
        // Reading faster than copying (a copy also reads the lines it writes): the faster one is the limit.
        Roofline.Machine reads = new Roofline.Machine(100, "gemm", java.util.List.of(), 10, 1, 25);
        assertEquals(25.0, reads.memoryGBs(), 1e-12);
        assertEquals(40.0, reads.bound(1e6, 1e9).floorMs(), 1e-9);
    }
}
