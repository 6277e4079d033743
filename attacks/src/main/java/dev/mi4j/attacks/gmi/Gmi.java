package dev.mi4j.attacks.gmi;

import dev.mi4j.attacks.InversionAttack;
import dev.mi4j.attacks.InversionListener;
import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.QueryBudgetExceededException;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.attacks.StopReason;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.GenerativePrior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generative model inversion: Zhang, Jia, Pei, Wang, Li &amp; Song, "The Secret Revealer:
 * Generative Model-Inversion Attacks Against Deep Neural Networks", CVPR 2020, the latent search
 * of their code (AI-secure/GMI-Attack, {@code attack.py}). Instead of pixels it searches the
 * latent code z of a GAN trained on public faces of other people, so every candidate is an image
 * the generator can draw; the target only has to say whose face it is.
 *
 * <h2>Algorithm (per restart, every identity and restart as one row of one batch)</h2>
 * <pre>
 *   z_0 ~ N(0, I)   (seeded per seed, label and restart: the same start alone or batched)
 *   v_0 = 0
 *   for i = 0 .. iterations-1:
 *       g   = s * dL/dz(z_i)      L = priorWeight * prior(G(z)) + lambda * (-log p_t(G(z)))   ({@link GmiObjective})
 *       v'  = momentum * v - lr * g
 *       z   = clamp(z - momentum * v + (1 + momentum) * v', -clip, clip);  v = v'
 *   then p_t(G(z_final)) from the model; per identity, the restart with the highest p_t is kept
 * </pre>
 * s is 1 / (identities in the batch) for {@link GmiParams.Reduction#MEAN} (GMI's batch-mean loss)
 * and 1 for SUM. The update is GMI's Nesterov-style momentum as written in their code. As in GMI,
 * the start is not clamped, the final iterate (not the best one seen) of each restart competes,
 * and the choice among restarts is by the target's confidence in the final image (GMI compares
 * logits; mi4j the probability, which a black-box attacker also sees).
 *
 * <h2>Costs and bookkeeping</h2>
 * There is no per-target stopping rule: every row runs all iterations, so the attack keeps its own
 * small bookkeeping rather than {@code ActiveTargets} (whose rule is "lowest cost iterate").
 * Each iteration is one gradient call for all rows (white-box: one query per row; black-box:
 * what the estimator sends), plus one predict call for the final images. A row whose gradient is
 * not finite is frozen at its last finite z and reported DIVERGED if it is kept. When a black-box
 * query budget refuses a call, every row stops with its current z (QUERY_BUDGET); if even the
 * final predict is refused, the confidences of the last gradient call choose.
 *
 * <p>The model and the generator are only queried, never modified.
 */
public final class Gmi implements InversionAttack {

    public static final String NAME = "GMI";

    private static final Logger log = LoggerFactory.getLogger(Gmi.class);

    private final DifferentiableClassifier model;
    private final GenerativePrior generator;
    private final GmiParams params;
    private final GmiObjective objective;
    private InversionListener listener = InversionListener.none();
    private boolean recordTrajectory;

    /**
     * @throws IllegalArgumentException when the generator's images do not fit the model
     */
    public Gmi(DifferentiableClassifier model, GenerativePrior generator, GmiParams params) {
        this.model = Objects.requireNonNull(model, "model");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.params = Objects.requireNonNull(params, "params");
        this.objective = new GmiObjective(model, generator, params.lambda(), params.priorWeight());
    }

    public Gmi listener(InversionListener l) {
        this.listener = Objects.requireNonNull(l, "listener");
        return this;
    }

    /** Keep, per identity, the loss of its kept restart at every iteration. */
    public Gmi recordTrajectory(boolean v) {
        this.recordTrajectory = v;
        return this;
    }

    public GmiParams params() {
        return params;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Parameters and settings as recorded with results. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>(params.asMap());
        m.put("generator", generator.describe());
        m.put("latentDim", generator.latentDim());
        m.put("choice", "restart with the highest final p_label");
        return m;
    }

    /** The start codes of rows (label, restart) for this seed: [labels.length * restarts, latentDim], identity-major. */
    public INDArray startCodes(int[] labels) {
        int d = generator.latentDim();
        int r = params.restarts();
        double[] v = new double[labels.length * r * d];
        for (int t = 0; t < labels.length; t++) {
            for (int k = 0; k < r; k++) {
                SplittableRandom rng = new SplittableRandom(params.seed() ^ (0x9E3779B97F4A7C15L * (labels[t] + 1L))
                        ^ (0xC2B2AE3D27D4EB4FL * (k + 1L)));
                int off = (t * r + k) * d;
                for (int j = 0; j < d; j++) {
                    v[off + j] = gaussian(rng);
                }
            }
        }
        return Nd4j.createFromArray(v).reshape(labels.length * r, d).castTo(generator.dataType());
    }

    @Override
    public InversionResult invert(int[] targets) {
        InversionAttack.checkTargets(targets, model.numClasses());
        long startNanos = System.nanoTime();
        int n = targets.length;
        int r = params.restarts();
        int m = n * r;
        int[] rowLabels = new int[m];
        for (int t = 0; t < n; t++) {
            Arrays.fill(rowLabels, t * r, (t + 1) * r, targets[t]);
        }
        log.info("{}: inverting {} targets x {} restarts, {}", NAME, n, r, params.asMap());
        long queriesBefore = model.queryCount();
        double scale = params.reduction() == GmiParams.Reduction.MEAN ? 1.0 / n : 1.0;
        INDArray z = startCodes(targets);
        INDArray v = Nd4j.zeros(z.dataType(), z.shape());
        boolean[] diverged = new boolean[m];
        List<double[]> costs = new ArrayList<>();
        double[] lastP = new double[m];
        Arrays.fill(lastP, Double.NaN);
        StopReason ending = StopReason.MAX_ITERATIONS;
        int done = 0;
        for (int i = 0; i < params.iterations(); i++) {
            GmiObjective.Evaluation ev;
            try {
                ev = objective.evaluate(z, rowLabels);
            } catch (QueryBudgetExceededException e) {
                log.info("{}: {}; stopping all {} rows with their current codes", NAME, e.getMessage(), m);
                ending = StopReason.QUERY_BUDGET;
                break;
            }
            lastP = ev.pLabel();
            if (recordTrajectory) {
                costs.add(ev.cost());
            }
            INDArray g = ev.gradient().castTo(z.dataType());
            boolean[] ok = finiteRows(g);
            INDArray frozen = null;
            for (int k = 0; k < m; k++) {
                if (!ok[k] || !Double.isFinite(ev.cost()[k])) {
                    if (!diverged[k]) {
                        log.warn("{}: row {} (label {}) has a non-finite loss or gradient at iteration {}; frozen",
                                NAME, k, rowLabels[k], i);
                    }
                    diverged[k] = true;
                }
                if (diverged[k]) {
                    frozen = frozen == null ? z.dup() : frozen;
                    g.getRow(k).assign(0);
                }
            }
            // GMI: v' = momentum v - lr g; z += -momentum v + (1 + momentum) v'; clamp.
            INDArray vPrev = v.dup();
            v.muli(params.momentum()).subi(g.muli(params.lr() * scale));
            z.subi(vPrev.muli(params.momentum())).addi(v.mul(1 + params.momentum()));
            Transforms.max(z, -params.clip(), false);
            Transforms.min(z, params.clip(), false);
            if (frozen != null) {
                for (int k = 0; k < m; k++) {
                    if (diverged[k]) {
                        z.getRow(k).assign(frozen.getRow(k));
                        v.getRow(k).assign(0);
                    }
                }
            }
            done = i + 1;
            listener.onStep(i, n, mean(ev.cost(), diverged));
        }

        // The final codes: their images, the target's confidences, and the choice among restarts.
        INDArray images = generator.generate(z);
        double[] finalP;
        double[] finalCost;
        try {
            INDArray probs = model.predict(images);
            finalP = new double[m];
            for (int k = 0; k < m; k++) {
                finalP[k] = probs.getDouble(k, rowLabels[k]);
            }
            finalCost = objective.costFromProbabilities(images, probs, rowLabels);
        } catch (QueryBudgetExceededException e) {
            log.info("{}: {}; the confidences of the last gradient call choose among restarts", NAME, e.getMessage());
            ending = StopReason.QUERY_BUDGET;
            finalP = lastP;
            finalCost = new double[m];
            Arrays.fill(finalCost, Double.NaN);
        }
        long queries = model.queryCount() - queriesBefore;
        List<Reconstruction> recs = new ArrayList<>(n);
        Map<StopReason, Integer> reasons = new EnumMap<>(StopReason.class);
        for (int t = 0; t < n; t++) {
            int best = t * r;
            for (int k = t * r; k < (t + 1) * r; k++) {
                if (better(finalP[k], diverged[k], finalP[best], diverged[best])) {
                    best = k;
                }
            }
            StopReason reason = diverged[best] ? StopReason.DIVERGED : ending;
            reasons.merge(reason, 1, Integer::sum);
            double[] trajectory = null;
            if (recordTrajectory) {
                trajectory = new double[costs.size()];
                for (int i = 0; i < trajectory.length; i++) {
                    trajectory[i] = costs.get(i)[best];
                }
            }
            recs.add(new Reconstruction(targets[t], images.slice(best).dup(), finalCost[best], finalP[best], done, done,
                    queries / n, reason, trajectory, List.of()));
        }
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        log.info("{}: done in {} ms, {} queries, stop reasons {}", NAME, millis, queries, reasons);
        return new InversionResult(recs, settings(), NAME, queries, millis);
    }

    /** A finite, non-diverged confidence beats anything else; then the higher one (the earlier restart on ties). */
    private static boolean better(double p, boolean div, double bestP, boolean bestDiv) {
        boolean usable = Double.isFinite(p) && !div;
        boolean bestUsable = Double.isFinite(bestP) && !bestDiv;
        if (usable != bestUsable) {
            return usable;
        }
        return p > bestP;
    }

    private static double mean(double[] v, boolean[] skip) {
        double s = 0;
        int c = 0;
        for (int k = 0; k < v.length; k++) {
            if (!skip[k] && Double.isFinite(v[k])) {
                s += v[k];
                c++;
            }
        }
        return c == 0 ? Double.NaN : s / c;
    }

    /** Per row of [m, d]: true when every value is finite. */
    private static boolean[] finiteRows(INDArray x) {
        int m = (int) x.size(0);
        boolean[] ok = new boolean[m];
        if (Double.isFinite(x.sumNumber().doubleValue())) {
            Arrays.fill(ok, true);
            return ok;
        }
        double[] s = x.reshape(m, -1).mul(0.0).sum(1).castTo(DataType.DOUBLE).reshape(m).toDoubleVector();
        for (int k = 0; k < m; k++) {
            ok[k] = s[k] == 0.0;
        }
        return ok;
    }

    /** A standard normal variate (Box-Muller; SplittableRandom has none). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
