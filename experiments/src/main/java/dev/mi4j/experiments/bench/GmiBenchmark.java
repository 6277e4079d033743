package dev.mi4j.experiments.bench;

import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackRegistry;
import dev.mi4j.attacks.InversionAttack;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.DcGan;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.GenerativePrior;
import dev.mi4j.core.model.NetworkClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Times GMI's latent step (the generator's forward pass, the target's and the discriminator's
 * image gradients, their back-propagation through the generator, GMI's update), step by step:
 * all identities x restarts in one batch, and one identity (its restarts) at a time.
 */
public final class GmiBenchmark {

    private GmiBenchmark() {
    }

    /** A randomly initialised GAN of the given width: step time does not depend on the weights. */
    public static Gan untrainedGan(ImageShape shape, int width) {
        return new Gan(DcGan.generator(shape, 100, width, 1, new Adam(2e-4), DataType.FLOAT),
                DcGan.discriminator(shape, width, 2, new Adam(2e-4), DataType.FLOAT), shape, 100, null);
    }

    /** A randomly initialised target of the given architecture at the GAN's image size. */
    public static NetworkClassifier untrainedTarget(String architecture, ImageShape shape, int classes) {
        return new NetworkClassifier(Architecture.parse(architecture).build(shape, classes, 42), shape);
    }

    /** Runs {@code steps} GMI steps on the identities and returns the step-time statistics (per batch step). */
    public static InversionBenchmark.StepTimes time(DifferentiableClassifier model, GenerativePrior gan, int[] identities,
                                                   int restarts, int steps, int warmup) {
        AttackParams p = AttackRegistry.get("gmi").defaults().with(Map.of("iterations", steps, "restarts", restarts));
        List<Long> stamps = new ArrayList<>(steps + 1);
        InversionAttack attack = p.spec().create(p, AttackInputs.of(model).withGenerator(gan)
                .withListener((it, active, cost) -> stamps.add(System.nanoTime())));
        stamps.add(System.nanoTime());
        attack.invert(identities);
        return InversionBenchmark.StepTimes.fromStamps(identities.length, stamps, warmup);
    }
}
