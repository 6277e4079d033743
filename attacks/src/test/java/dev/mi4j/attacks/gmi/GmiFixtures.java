package dev.mi4j.attacks.gmi;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.DcGan;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.GradientPath;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.testing.TestNetworks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** A tiny GAN and CNN target on 16x16 grey images, with seeded random weights, for GMI's tests. */
final class GmiFixtures {

    static final ImageShape SHAPE = new ImageShape(1, 16, 16);
    static final int LATENT = 6;
    static final int CLASSES = 5;

    private GmiFixtures() {
    }

    /** DCGAN of width 2 with random weights and batch-norm statistics away from 0 / 1. */
    static Gan gan(DataType type) {
        MultiLayerNetwork g = DcGan.generator(SHAPE, LATENT, 2, 3, new Adam(1e-3), type);
        MultiLayerNetwork d = DcGan.discriminator(SHAPE, 2, 4, new Adam(1e-3), type);
        TestNetworks.randomize(g, 11);
        TestNetworks.randomize(d, 12);
        return new Gan(g, d, SHAPE, LATENT, null);
    }

    /** The zoo's CNN as initialised (seeded Xavier weights: its softmax neither flat nor saturated). */
    static NetworkClassifier target(DataType type) {
        MultiLayerNetwork net = Architecture.CNN.build(SHAPE, CLASSES, 5, new Adam(1e-3), 0.0, type);
        net.params().muli(2.0);
        return new NetworkClassifier(net, SHAPE, GradientPath.AUTO);
    }
}
