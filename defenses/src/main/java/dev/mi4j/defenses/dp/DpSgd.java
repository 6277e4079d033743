package dev.mi4j.defenses.dp;

import dev.mi4j.core.train.BatchSampler;
import dev.mi4j.core.train.GradientHook;
import dev.mi4j.core.train.MinibatchStep;
import dev.mi4j.core.train.PoissonBatches;
import dev.mi4j.core.train.ShuffledBatches;
import dev.mi4j.core.train.StepGradient;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.defenses.dp.accounting.NoiseCalibration;
import dev.mi4j.defenses.dp.accounting.PrivacySpent;
import dev.mi4j.defenses.dp.accounting.RdpAccountant;
import dev.mi4j.defenses.dp.accounting.RdpConversion;
import dev.mi4j.defenses.dp.accounting.RdpOrders;
import dev.mi4j.defenses.training.DefenseParam;
import dev.mi4j.defenses.training.DefenseType;
import dev.mi4j.defenses.training.TrainingDefense;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DP-SGD (Abadi et al., CCS 2016) as a training defense: every step clips each example's gradient
 * to L2 norm C ({@link PerExampleClipping}), adds N(0, (sigma C)^2) noise to the sum, and lets the
 * network's updater apply it divided by the expected batch size B. Minibatches are Poisson-sampled
 * with rate q = B / n (each example joins each step independently), the sampling the RDP analysis
 * of the sampled Gaussian mechanism assumes; {@code sampling=shuffled} keeps the trainer's
 * fixed-size shuffled batches and accounts them as if Poisson-sampled, the common approximation
 * (documented in the record, not a proof). B is the config's batch size and an epoch is
 * ceil(n / B) steps.
 *
 * <p>Either {@code sigma} is given, or a target {@code epsilon}: then sigma is calibrated before the
 * first step ({@link NoiseCalibration}) so that the planned run (all epochs) spends at most epsilon
 * at delta. After training the record carries sigma, q, the steps run and the epsilon spent at delta
 * (TF Privacy's conversion over its default orders, and Opacus's over its, for comparison).
 *
 * <p>What the guarantee does not cover, recorded rather than hidden: early stopping picks the
 * epoch by accuracy on the validation split, a data-dependent choice outside the accountant
 * (use {@code validationFraction} 0 for a clean guarantee; the record says
 * {@code "validationSelection": true} otherwise); the noise comes from a seeded generator
 * (reproducible research, not a deployment-grade secure RNG); the config's own L2 penalty is
 * data-independent and so harmless.
 *
 * @param epsilon  target epsilon (null when sigma is given)
 * @param sigma    noise multiplier (null when epsilon is given)
 * @param clip     per-example clipping norm C
 * @param delta    delta of the reported (and targeted) epsilon
 * @param sampling "poisson" or "shuffled"
 */
public record DpSgd(Double epsilon, Double sigma, double clip, double delta, String sampling)
        implements TrainingDefense {

    public static final String NAME = "dp";

    private static final DefenseParam EPSILON = DefenseParam.optional("epsilon",
            "target epsilon at delta; sigma is calibrated to it", null, "> 0 and finite",
            v -> v > 0 && !Double.isInfinite(v));
    private static final DefenseParam SIGMA = DefenseParam.optional("sigma",
            "noise multiplier: noise std / clip norm", null, "> 0 and finite", v -> v > 0 && !Double.isInfinite(v));
    private static final DefenseParam CLIP = DefenseParam.optional("clip", "per-example gradient L2 bound C", 1.0,
            "> 0 and finite", v -> v > 0 && !Double.isInfinite(v));
    private static final DefenseParam DELTA = DefenseParam.optional("delta", "delta of the (epsilon, delta) guarantee",
            1e-5, "in (0, 1)", v -> v > 0 && v < 1);
    private static final DefenseParam SAMPLING = DefenseParam.choice("sampling",
            "minibatch sampling (poisson: what the accountant assumes)", "poisson", "poisson", "shuffled");

    /** The registry entry. */
    public static final DefenseType TYPE = new DefenseType(NAME,
            "DP-SGD: per-example clipping to C, Gaussian noise sigma*C, Poisson sampling, RDP accountant",
            List.of(EPSILON, SIGMA, CLIP, DELTA, SAMPLING), null,
            p -> new DpSgd(p.has("epsilon") ? p.number("epsilon") : null, p.has("sigma") ? p.number("sigma") : null,
                    p.number("clip"), p.number("delta"), p.choice("sampling")));

    public DpSgd {
        if ((epsilon == null) == (sigma == null)) {
            throw new IllegalArgumentException(NAME + " epsilon, sigma: give exactly one (epsilon: a target that sigma is"
                    + " calibrated to; sigma: the noise multiplier)");
        }
        if (epsilon != null) {
            EPSILON.check(NAME, epsilon);
        }
        if (sigma != null) {
            SIGMA.check(NAME, sigma);
        }
        CLIP.check(NAME, clip);
        DELTA.check(NAME, delta);
        if (!SAMPLING.choices().contains(sampling)) {
            throw new IllegalArgumentException(NAME + " sampling: must be one of " + SAMPLING.rule() + ", got " + sampling);
        }
    }

    /** DP-SGD with a given noise multiplier, Poisson sampling. */
    public static DpSgd withSigma(double sigma, double clip, double delta) {
        return new DpSgd(null, sigma, clip, delta, "poisson");
    }

    /** DP-SGD calibrated to a target epsilon, Poisson sampling. */
    public static DpSgd withEpsilon(double epsilon, double clip, double delta) {
        return new DpSgd(epsilon, null, clip, delta, "poisson");
    }

    /** No early stopping on a validation split: the accountant would not count that look at the data. */
    @Override
    public boolean allowsModelSelection() {
        return false;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (epsilon != null) {
            m.put("epsilon", epsilon);
        }
        if (sigma != null) {
            m.put("sigma", sigma);
        }
        m.put("clip", clip);
        m.put("delta", delta);
        m.put("sampling", sampling);
        return m;
    }

    @Override
    public GradientHook newHook() {
        return new Hook();
    }

    /** One run's state: the plan, the noise stream, the steps taken. */
    private final class Hook implements GradientHook {

        private boolean poisson;
        private int expectedBatch;
        private double q;
        private long plannedSteps;
        private double noiseMultiplier;
        private boolean validationSelection;
        private org.nd4j.linalg.api.rng.Random noise;
        private long steps;
        private long examples;
        private long clipped;
        private String method;

        @Override
        public BatchSampler sampler(int n, TrainingConfig cfg) {
            poisson = sampling.equals("poisson");
            expectedBatch = Math.min(cfg.batchSize(), n);
            q = (double) expectedBatch / n;
            int stepsPerEpoch = (n + expectedBatch - 1) / expectedBatch;
            plannedSteps = (long) cfg.epochs() * stepsPerEpoch;
            noiseMultiplier = sigma != null ? sigma : NoiseCalibration.noiseMultiplier(epsilon, delta, q, plannedSteps,
                    RdpOrders.tfPrivacy(), RdpConversion.IMPROVED, 1e-6);
            validationSelection = cfg.validationFraction() > 0;
            noise = Nd4j.getRandomFactory().getNewRandomInstance(cfg.seed() * 31 + 17);
            return poisson ? new PoissonBatches(n, q, stepsPerEpoch, new Random(cfg.seed() * 31 + 13))
                    : ShuffledBatches.forConfig(n, cfg);
        }

        @Override
        public StepGradient step(MinibatchStep step) {
            if (noise == null) {
                throw new IllegalStateException("dp: step before sampler (the trainer asks for the sampler first)");
            }
            if (method == null) {
                method = PerExampleClipping.method(step.net());
            }
            PerExampleClipping.ClippedSum cs = PerExampleClipping.auto(step.net(), step.features(), step.labels(),
                    clip);
            INDArray sum = cs.sum();
            INDArray z = Nd4j.randn(0.0, noiseMultiplier * clip, sum.shape(), noise).castTo(sum.dataType());
            sum.addi(z);
            steps++;
            examples += step.size();
            clipped += cs.clipped(clip);
            return new StepGradient(sum, poisson ? expectedBatch : Math.max(1, step.size()), cs.meanLoss());
        }

        @Override
        public Map<String, Object> report() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("noiseMultiplier", noiseMultiplier);
            m.put("samplingRate", q);
            m.put("expectedBatchSize", expectedBatch);
            m.put("steps", steps);
            m.put("plannedSteps", plannedSteps);
            PrivacySpent tf = new RdpAccountant(RdpOrders.tfPrivacy()).compose(q, noiseMultiplier, steps)
                    .spent(delta, RdpConversion.IMPROVED);
            PrivacySpent op = new RdpAccountant(RdpOrders.opacus()).compose(q, noiseMultiplier, steps)
                    .spent(delta, RdpConversion.OPACUS);
            m.put("epsilon", tf.epsilon());
            m.put("delta", delta);
            m.put("accountant", "RDP of the sampled Gaussian mechanism, TF Privacy orders and conversion"
                    + (poisson ? "" : "; shuffled batches accounted as Poisson sampling (approximation)"));
            m.put("epsilonOpacus", op.epsilon());
            m.put("perExampleGradients", method == null ? "none" : method);
            m.put("clippedFraction", examples == 0 ? 0.0 : (double) clipped / examples);
            m.put("validationSelection", validationSelection);
            m.put("noise", "seeded generator (reproducible; not a secure RNG)");
            return record(m);
        }
    }
}
