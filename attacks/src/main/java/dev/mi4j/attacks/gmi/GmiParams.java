package dev.mi4j.attacks.gmi;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of GMI's latent search (Zhang et al., CVPR 2020; their code, AI-secure/GMI-Attack),
 * GMI's values as defaults.
 *
 * @param iterations  latent steps per restart (GMI: 1500), >= 1
 * @param lambda      weight of the identity term (GMI: 100), >= 0
 * @param priorWeight weight of the discriminator's term (GMI: 1; 0 switches the prior off), >= 0
 * @param lr          learning rate (GMI: 0.02), > 0
 * @param momentum    momentum of GMI's update (GMI: 0.9), in [0, 1)
 * @param clip        z is clamped to [-clip, clip] after every step (GMI: 1), > 0
 * @param restarts    random starts per identity; the one with the highest final target confidence is kept (GMI: 5), >= 1
 * @param reduction   how the batch's losses combine, as the gradient each row sees
 * @param seed        seeds every start z (per seed, label and restart)
 */
public record GmiParams(int iterations, double lambda, double priorWeight, double lr, double momentum, double clip,
                        int restarts, Reduction reduction, long seed) {

    /**
     * GMI computes the batch's loss as a mean over the identities attacked together
     * ({@code CrossEntropyLoss} and {@code -label.mean()}), so each identity's z moves by lr / n times
     * its own gradient, n the number of identities in the batch ({@link #MEAN}, the default, as in
     * GMI). {@link #SUM} gives every row its own loss: a target's trajectory then does not depend on
     * how many others run with it.
     */
    public enum Reduction {
        MEAN, SUM;

        public static Reduction parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** GMI's values: 1500 iterations, lambda 100, prior weight 1, lr 0.02, momentum 0.9, clip 1, 5 restarts, mean. */
    public static GmiParams defaults() {
        return new GmiParams(1500, 100, 1, 0.02, 0.9, 1, 5, Reduction.MEAN, 1L);
    }

    public GmiParams {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations: must be >= 1, got " + iterations);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda: must be finite and >= 0, got " + lambda);
        }
        if (!(priorWeight >= 0) || Double.isInfinite(priorWeight)) {
            throw new IllegalArgumentException("priorWeight: must be finite and >= 0, got " + priorWeight);
        }
        if (lambda == 0 && priorWeight == 0) {
            throw new IllegalArgumentException("lambda: lambda and priorWeight are both 0: nothing to minimise");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr: must be finite and > 0, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum: must be in [0, 1), got " + momentum);
        }
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clip: must be finite and > 0, got " + clip);
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("restarts: must be >= 1, got " + restarts);
        }
        if (reduction == null) {
            throw new IllegalArgumentException("reduction: must be mean or sum");
        }
    }

    /** For result files. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iterations", iterations);
        m.put("lambda", lambda);
        m.put("priorWeight", priorWeight);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("clip", clip);
        m.put("restarts", restarts);
        m.put("reduction", reduction.name().toLowerCase(Locale.ROOT));
        m.put("seed", seed);
        return m;
    }
}
