package dev.mi4j.attacks.miface;

import dev.mi4j.attacks.ActiveTargets;
import dev.mi4j.attacks.InversionAttack;
import dev.mi4j.attacks.InversionListener;
import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.QueryBudgetExceededException;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.attacks.StopReason;
import dev.mi4j.attacks.miface.process.ProcessStep;
import dev.mi4j.attacks.miface.process.ProcessSteps;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import java.util.ArrayList;
import java.util.Arrays;
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
 * White-box MI-Face: Fredrikson, Jha &amp; Ristenpart, "Model Inversion Attacks that Exploit
 * Confidence Information and Basic Countermeasures", CCS 2015, Algorithm 1, run on all targets
 * at once on one [n, c, h, w] tensor.
 *
 * <h2>Algorithm</h2>
 * With c(x) = objective(x) + AuxTerm(x) (objective by default 1 - p_label, aux term by default none):
 * <pre>
 *   x_0 = Init (default zeros), then Process(x_0) when a process step is set
 *   for i = 1 .. alpha:
 *       x_i = clamp(Process(clamp(x_{i-1} - lambda * grad c(x_{i-1}))))     clamp = pixels into [0, 1]
 *       if gamma rule holds for x_i:                               stop, CONFIDENT
 *       if i &gt;= beta and c(x_i) &gt;= max(c(x_{i-1}), ..., c(x_{i-beta})):  stop, NO_PROGRESS
 *   (after step alpha: MAX_ITERATIONS)
 *   return the iterate with the lowest cost among x_0 .. x_last, and that cost
 * </pre>
 * Each iteration is one model call per active target (cost, probabilities and input gradient
 * of x_i together), plus one for x_0: a target that ran i steps used i + 1 queries.
 *
 * <ul>
 *   <li><b>Window rule</b> (as printed in the paper): checked only once a full window of beta
 *       previous costs exists, i.e. from i = beta on; it fires when c(x_i) is no lower than the
 *       <em>highest</em> of the previous beta costs. IBM ART's MIFace reverses this test and
 *       returns the last iterate; mi4j follows the paper and returns the best (lowest-cost)
 *       iterate, the earliest one on ties.</li>
 *   <li><b>Gamma</b>: the paper prints {@code if c(x_i) <= gamma: break} with gamma = 0.99 and
 *       c = 1 - p. Read literally this stops after the first step (a blank image already has
 *       c ~ 0.975 on AT&amp;T). mi4j therefore reads gamma, by default
 *       ({@link GammaMode#CONFIDENCE}), as a confidence: stop when p_label(x_i) &gt;= gamma, i.e.
 *       c &lt;= 1 - gamma for the 1 - p objective without aux term. This rule always reads the
 *       model's p_label, whatever the objective and aux term. {@link GammaMode#LITERAL_COST}
 *       stops when c(x_i) &lt;= gamma exactly as printed, c including the aux term. Like the
 *       paper's loop, the rule is not applied to x_0. When the gamma and window rules fire on
 *       the same step, the reason reported is CONFIDENT (the paper breaks either way).</li>
 *   <li><b>Batching</b>: a target that stops is frozen (its image stops changing) and is no
 *       longer sent to the model: the active rows are gathered into a smaller batch whenever
 *       the active set shrinks, so queries are counted for active targets only. Every per-image
 *       operation of the attack is row-wise, so a target's numbers do not depend on the others
 *       in the batch (up to the model's own batched arithmetic).</li>
 *   <li><b>Divergence</b>: a NaN or infinity in the cost or probability of x_i, in the
 *       gradient needed for the next step, or in the image after the step or the process step
 *       (checked before clamping, which would hide it) stops that target with
 *       {@link StopReason#DIVERGED}; its best finite iterate is returned, the others go on.</li>
 *   <li><b>UNIFORM init</b> is seeded per target by (seed, label), so a target starts from the
 *       same noise whether it runs alone or with others.</li>
 * </ul>
 * The model is only queried, never modified. Settings beyond {@link MiFaceParams} (process step,
 * aux term, prior tensor, listener, tensor data type) are set with the fluent setters below.
 */
public final class MiFace implements InversionAttack {

    public static final String NAME = "MI-Face";

    private static final Logger log = LoggerFactory.getLogger(MiFace.class);

    private final DifferentiableClassifier model;
    private final MiFaceParams params;
    private ProcessStep process = ProcessSteps.identity();
    private AuxTerm auxTerm = AuxTerm.none();
    private INDArray prior;
    private InversionListener listener = InversionListener.none();
    private DataType dataType = DataType.FLOAT;

    public MiFace(DifferentiableClassifier model, MiFaceParams params) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        if (params == null) {
            throw new IllegalArgumentException("params must not be null");
        }
        this.model = model;
        this.params = params;
    }

    /** The Process step applied after each gradient step (default identity). */
    public MiFace process(ProcessStep step) {
        this.process = Objects.requireNonNull(step, "process");
        return this;
    }

    /** The auxiliary cost term added to the objective (default {@link AuxTerm#none()}). */
    public MiFace auxTerm(AuxTerm term) {
        this.auxTerm = Objects.requireNonNull(term, "auxTerm");
        return this;
    }

    /**
     * The start image for {@link Init#MEAN} and {@link Init#IMAGE}: [c, h, w] or [1, c, h, w]
     * (used for every target), or [n, c, h, w] with one image per target in target order.
     * Pixels must be finite and in [0, 1]. The tensor is copied.
     */
    public MiFace prior(INDArray image) {
        if (image == null) {
            throw new IllegalArgumentException("prior must not be null");
        }
        ImageShape s = model.inputShape();
        long[] shape = image.shape();
        boolean ok = (image.rank() == 3 && shape[0] == s.channels() && shape[1] == s.height() && shape[2] == s.width())
                || (image.rank() == 4 && shape[1] == s.channels() && shape[2] == s.height() && shape[3] == s.width());
        if (!ok) {
            throw new IllegalArgumentException("prior must have shape [" + s.channels() + ", " + s.height() + ", "
                    + s.width() + "] or [n, " + s.channels() + ", " + s.height() + ", " + s.width()
                    + "] (the model's input), got " + Arrays.toString(shape));
        }
        double min = image.minNumber().doubleValue();
        double max = image.maxNumber().doubleValue();
        if (!(min >= 0 && max <= 1)) {
            throw new IllegalArgumentException("prior pixels must be finite and in [0, 1], got range ["
                    + min + ", " + max + "]");
        }
        this.prior = image.rank() == 3 ? image.reshape(1, shape[0], shape[1], shape[2]).dup() : image.dup();
        return this;
    }

    /** Progress callback, called once per iteration. */
    public MiFace listener(InversionListener l) {
        this.listener = Objects.requireNonNull(l, "listener");
        return this;
    }

    /** Floating-point type of the attack's tensors (default FLOAT). */
    public MiFace dataType(DataType type) {
        if (type == null || !type.isFPType()) {
            throw new IllegalArgumentException("dataType must be a floating-point type, got " + type);
        }
        this.dataType = type;
        return this;
    }

    public MiFaceParams params() {
        return params;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Parameters and settings of this attack as recorded with its results. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>(params.asMap());
        m.put("process", process.name());
        m.put("auxTerm", auxTerm.name());
        m.put("dataType", dataType.name());
        if (params.init().needsPrior() && prior != null) {
            m.put("priorShape", Arrays.toString(prior.shape()));
        }
        return m;
    }

    @Override
    public InversionResult invert(int[] targets) {
        validateTargets(targets);
        long startNanos = System.nanoTime();
        ImageShape shape = model.inputShape();
        int n = targets.length;
        log.info("{}: inverting {} targets, {}, process {}, aux term {}", NAME, n, params, process.name(), auxTerm.name());

        // Speed (see BENCHMARKS.md): the loop allocates nothing per step while the active set stays
        // the same: the update is in place, the model writes the gradient into gradBuf, and the
        // bookkeeping (ActiveTargets) keeps the active rows' best iterates row-aligned with cur.
        INDArray cur = initialImages(targets, shape);          // [m, c, h, w], rows of the active targets
        if (process != ProcessSteps.identity()) {
            // x_0 = Process(Init): the start lies in the process step's range like every later iterate
            // (for Process-DAE, a picture the decoder can draw, as when the paper starts from a code).
            boolean[] ok = new boolean[n];
            Arrays.fill(ok, true);
            clampInPlace(cur);
            cur = processAndClamp(cur, ok);
            for (int t = 0; t < n; t++) {
                if (!ok[t]) {
                    throw new IllegalStateException("process step '" + process.name()
                            + "' returned a NaN or infinity for the initial image of target " + targets[t]);
                }
            }
        }
        ActiveTargets run = new ActiveTargets(targets, cur);
        INDArray gradBuf = Nd4j.create(dataType, shape.batchShape(n));
        boolean[] imageOk = null;   // per active row: whether x_i - lambda * grad was finite

        for (int i = 0; run.size() > 0; i++) {
            if (i > 0) {
                // x_i was stepped at the end of iteration i - 1; the process step follows.
                cur = processAndClamp(cur, imageOk);
                int[] keep = run.stopUnevaluated(imageOk, i, StopReason.DIVERGED);
                cur = run.retain(keep, cur)[0];
                if (run.size() == 0) {
                    listener.onStep(i, 0, Double.NaN);
                    break;
                }
            }
            int m = run.size();
            int[] labels = run.labels();
            if (gradBuf.size(0) != m) {
                gradBuf = Nd4j.create(dataType, shape.batchShape(m));
            }
            Evaluation ev;
            try {
                ev = evaluate(cur, labels, shape, gradBuf);
            } catch (QueryBudgetExceededException e) {
                // Nothing was sent by the refused call: every active target stops here with the
                // best iterate it had, as if the step had not been attempted.
                log.info("{}: {}; stopping {} active targets with their best iterates", NAME, e.getMessage(), m);
                run.stopAll(StopReason.QUERY_BUDGET);
                listener.onStep(i, 0, Double.NaN);
                break;
            }

            boolean[] continues = new boolean[m];
            double costSum = 0;
            int finiteCosts = 0;
            for (int k = 0; k < m; k++) {
                double c = ev.cost[k];
                double p = ev.pLabel[k];
                if (!run.record(k, i, c, p, cur, params.snapshotEvery())) {
                    continue;
                }
                costSum += c;
                finiteCosts++;
                StopReason reason = stopRule(run, k, i, c, p);
                if (reason != null) {
                    run.stop(k, reason);
                } else {
                    continues[k] = true;
                }
            }
            // One pass: the improved iterates into the best buffer, and the continuing rows stepped
            // to x_{i+1}; a row whose gradient is not finite cannot take the step: DIVERGED.
            boolean[] gradientOk = new boolean[m];
            boolean[] nextOk = new boolean[m];
            keepBestAndStep(run, cur, ev.gradient, continues, gradientOk, nextOk);
            for (int k = 0; k < m; k++) {
                if (continues[k] && !gradientOk[k]) {
                    run.stop(k, StopReason.DIVERGED);
                    continues[k] = false;
                }
            }
            int[] keep = ActiveTargets.indicesOf(continues);
            listener.onStep(i, keep.length, finiteCosts == 0 ? Double.NaN : costSum / finiteCosts);
            cur = run.retain(keep, cur)[0];
            imageOk = new boolean[keep.length];
            for (int j = 0; j < keep.length; j++) {
                imageOk[j] = nextOk[keep[j]];
            }
        }

        List<Reconstruction> recs = run.reconstructions(params.recordTrajectory());
        long totalQueries = run.totalQueries();
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        log.info("{}: done in {} ms, {} queries, stop reasons {}", NAME, millis, totalQueries, run.stopReasons());
        return new InversionResult(recs, settings(), NAME, totalQueries, millis);
    }

    /**
     * The stopping rule that fires for a finite cost at iteration i, or null to continue (a
     * gradient that is not finite, checked when the step is taken, stops the target after these).
     */
    private StopReason stopRule(ActiveTargets run, int k, int i, double c, double p) {
        if (i >= 1 && gammaHolds(c, p)) {
            return StopReason.CONFIDENT;
        }
        if (i >= params.beta() && c >= run.maxCost(k, i - params.beta(), i)) {
            return StopReason.NO_PROGRESS;
        }
        if (i >= params.alpha()) {
            return StopReason.MAX_ITERATIONS;
        }
        return null;
    }

    private boolean gammaHolds(double c, double p) {
        return params.gammaMode() == GammaMode.CONFIDENCE ? p >= params.gamma() : c <= params.gamma();
    }

    /**
     * The end of an iteration: copies the improved iterates into the best buffer and, for the rows
     * of {@code step}, sets {@code gradientOk} (grad finite) and steps x = clamp(x - lambda * grad,
     * 0, 1) in place with the two roundings of x - (lambda * grad), setting {@code nextOk} (x -
     * lambda * grad finite, checked before the clamp, which would turn an infinity into a
     * valid-looking pixel). One pass over the buffers ({@link ElementwiseStep}), else ND4J's ops.
     */
    private void keepBestAndStep(ActiveTargets run, INDArray cur, INDArray grad, boolean[] step,
                                 boolean[] gradientOk, boolean[] nextOk) {
        double lambda = params.lambda();
        if (run.keepImproved(cur, (best, improved) ->
                ElementwiseStep.keepBestAndStep(cur, grad, best, improved, step, lambda, gradientOk, nextOk))) {
            return;
        }
        // The best rows were copied by keepImproved; the same step with ND4J's ops.
        boolean[] finite = finiteRows(grad);
        System.arraycopy(finite, 0, gradientOk, 0, finite.length);
        cur.subi(grad.muli(lambda));   // grad, the attack's own buffer, is scaled in place
        if (lambda <= 1) {
            // No check needed: x is finite in [0, 1] (start images are, clamping keeps them so) and
            // a row stepped on is only kept when its grad is finite, so |lambda * grad| <= |grad| <=
            // the largest finite value and |x - lambda * grad| cannot round to infinity.
            Arrays.fill(nextOk, true);
        } else {
            boolean[] ok = finiteRows(cur);
            System.arraycopy(ok, 0, nextOk, 0, ok.length);
        }
        clampInPlace(cur);
    }

    /** Process the clamped batch, check finiteness (ANDed into imageOk), clamp. */
    private INDArray processAndClamp(INDArray cur, boolean[] imageOk) {
        if (process == ProcessSteps.identity()) {
            return cur;
        }
        long[] expected = cur.shape();
        INDArray out = process.apply(cur);
        if (out == null || !Arrays.equals(out.shape(), expected)) {
            throw new IllegalStateException("process step '" + process.name() + "' returned shape "
                    + (out == null ? "null" : Arrays.toString(out.shape())) + ", expected " + Arrays.toString(expected));
        }
        if (out.dataType() != dataType) {
            out = out.castTo(dataType);
        }
        boolean[] ok = finiteRows(out);
        for (int k = 0; k < ok.length; k++) {
            imageOk[k] &= ok[k];
        }
        clampInPlace(out);
        return out;
    }

    private record Evaluation(double[] cost, double[] pLabel, INDArray gradient) {
    }

    private Evaluation evaluate(INDArray cur, int[] labels, ImageShape shape, INDArray gradBuf) {
        int m = labels.length;
        InputGradient g = model.inputGradient(cur, labels, params.objective(), gradBuf);
        if (g == null || g.gradient() == null || !g.hasRows(m)
                || !Arrays.equals(g.gradient().shape(), shape.batchShape(m))) {
            throw new IllegalStateException("model returned " + (g == null ? "null" : g.shapes())
                    + " for a batch of " + m);
        }
        double[] cost = g.costValues();
        // The attack scales the gradient in place: it must own it (gradBuf, or a copy).
        INDArray gradient = g.gradient() == gradBuf ? gradBuf : gradBuf.assign(g.gradient());
        if (auxTerm != AuxTerm.none()) {
            double[] aux = auxTerm.cost(cur).castTo(DataType.DOUBLE).reshape(m).toDoubleVector();
            for (int k = 0; k < m; k++) {
                cost[k] += aux[k];
            }
            gradient.addi(auxTerm.gradient(cur).castTo(dataType));
        }
        return new Evaluation(cost, g.labelProbabilities(labels), gradient);
    }

    /** Per row of [m, ...]: true when every value is finite. */
    private static boolean[] finiteRows(INDArray x) {
        if (ElementwiseStep.contiguous(x)) {
            return ElementwiseStep.finiteRows(x);   // one read-only pass, exact per row
        }
        int m = (int) x.size(0);
        boolean[] ok = new boolean[m];
        // x * 0 is 0 for finite x, NaN otherwise.
        double[] s = x.reshape(m, -1).mul(0.0).sum(1).castTo(DataType.DOUBLE).reshape(m).toDoubleVector();
        for (int k = 0; k < m; k++) {
            ok[k] = s[k] == 0.0;
        }
        return ok;
    }

    private static void clampInPlace(INDArray x) {
        // Two legacy scalar ops: measured 6x cheaper than the one-pass clipbyvalue custom op here.
        Transforms.max(x, 0.0, false);
        Transforms.min(x, 1.0, false);
    }

    private void validateTargets(int[] targets) {
        InversionAttack.checkTargets(targets, model.numClasses());
        if (params.init().needsPrior()) {
            if (prior == null) {
                throw new IllegalArgumentException("prior: init " + params.init()
                        + " needs a prior tensor; set it with MiFace.prior(...)");
            }
            if (prior.size(0) != 1 && prior.size(0) != targets.length) {
                throw new IllegalArgumentException("prior: has " + prior.size(0) + " images but there are "
                        + targets.length + " targets (give 1 image, or one per target)");
            }
        } else if (prior != null) {
            log.warn("{}: a prior tensor is set but init is {}; it is not used", NAME, params.init());
        }
    }

    private INDArray initialImages(int[] targets, ImageShape shape) {
        int n = targets.length;
        long[] batchShape = shape.batchShape(n);
        switch (params.init()) {
            case ZEROS:
                return Nd4j.zeros(dataType, batchShape);
            case UNIFORM: {
                int d = shape.size();
                double[] data = new double[n * d];
                for (int t = 0; t < n; t++) {
                    // Seeded per (seed, label): a target starts from the same noise alone or batched.
                    SplittableRandom rng = new SplittableRandom(params.seed() ^ (0x9E3779B97F4A7C15L * (targets[t] + 1L)));
                    for (int j = 0; j < d; j++) {
                        data[t * d + j] = rng.nextDouble();
                    }
                }
                return Nd4j.createFromArray(data).reshape(batchShape).castTo(dataType);
            }
            case MEAN:
            case IMAGE: {
                INDArray x = Nd4j.create(dataType, batchShape);
                INDArray p = prior.castTo(dataType);
                for (int t = 0; t < n; t++) {
                    x.slice(t).assign(p.slice(p.size(0) == 1 ? 0 : t));
                }
                return x;
            }
            default:
                throw new IllegalStateException("unknown init " + params.init());
        }
    }
}
