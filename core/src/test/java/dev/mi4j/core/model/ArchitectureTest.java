package dev.mi4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ArchitectureTest {

    @Test
    void parsesNamesInAnyCase() {
        assertEquals(Architecture.MLP, Architecture.parse("mlp"));
        assertEquals(Architecture.SOFTMAX, Architecture.parse(" Softmax "));
        assertEquals(Architecture.EVAL, Architecture.parse("EVAL"));
        Mi4jException e = assertThrows(Mi4jException.class, () -> Architecture.parse("resnet"));
        assertTrue(e.getMessage().startsWith("architecture: unknown value 'resnet'"), e.getMessage());
        assertThrows(Mi4jException.class, () -> Architecture.parse(null));
    }

    @Test
    void buildsFloatNetworksOfTheRightSizeDeterministically() {
        ImageShape shape = new ImageShape(1, 112, 92);
        MultiLayerNetwork mlp = Architecture.MLP.build(shape, 40, 7);
        assertEquals((112 * 92 + 1) * 3000L + 3001 * 40L, mlp.numParams());
        assertEquals(DataType.FLOAT, mlp.params().dataType());
        assertEquals(Architecture.MLP.build(shape, 40, 7).params(), mlp.params());
        for (Architecture a : Architecture.values()) {
            MultiLayerNetwork net = a.build(new ImageShape(1, 24, 20), 5, 1);
            assertEquals(5, net.output(Nd4j.rand(DataType.FLOAT, 2, 1, 24, 20)).size(1));
            assertFalse(a.description().isBlank());
            assertFalse(a.description().contains("\n"));
        }
    }
}
