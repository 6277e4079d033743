package dev.mi4j.attacks.miface;

import dev.mi4j.core.model.Objective;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyperparameters of MI-Face (Fredrikson, Jha &amp; Ristenpart, CCS 2015, Algorithm 1), validated on
 * construction: every bad value throws an {@link IllegalArgumentException} whose message starts
 * with the parameter's name.
 *
 * @param alpha            maximum number of gradient steps, &gt;= 1 (paper: 5000)
 * @param beta             window of the no-progress rule, &gt;= 1 (paper: 100)
 * @param gamma            stopping threshold, read per {@code gammaMode} (paper: 0.99); in
 *                         CONFIDENCE mode a probability in (0, 1], in LITERAL_COST mode any finite cost
 * @param gammaMode        how gamma is read; see {@link MiFace}
 * @param lambda           gradient step size, finite and &gt; 0 (paper: 0.1)
 * @param objective        model objective minimised (paper: 1 - p_label)
 * @param init             start image x0 (paper: zeros)
 * @param seed             seed of everything random (UNIFORM init)
 * @param recordTrajectory keep the cost of every iterate
 * @param snapshotEvery    keep the iterate x_i whenever i % snapshotEvery == 0; 0 keeps none
 */
public record MiFaceParams(int alpha, int beta, double gamma, GammaMode gammaMode, double lambda,
                           Objective objective, Init init, long seed, boolean recordTrajectory,
                           int snapshotEvery) {

    public MiFaceParams {
        if (alpha < 1) {
            throw new IllegalArgumentException("alpha must be >= 1, got " + alpha);
        }
        if (beta < 1) {
            throw new IllegalArgumentException("beta must be >= 1, got " + beta);
        }
        if (gammaMode == null) {
            throw new IllegalArgumentException("gammaMode must not be null");
        }
        if (gammaMode == GammaMode.CONFIDENCE && !(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1] with gammaMode CONFIDENCE"
                    + " (it is a probability p_label), got " + gamma);
        }
        if (!Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite, got " + gamma);
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and > 0, got " + lambda);
        }
        if (objective == null) {
            throw new IllegalArgumentException("objective must not be null");
        }
        if (init == null) {
            throw new IllegalArgumentException("init must not be null");
        }
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("snapshotEvery must be >= 0 (0 = no snapshots), got " + snapshotEvery);
        }
    }

    /** The paper's values: alpha 5000, beta 100, gamma 0.99 (as a confidence), lambda 0.1, 1 - p, zeros. */
    public static MiFaceParams paperDefaults() {
        return new MiFaceParams(5000, 100, 0.99, GammaMode.CONFIDENCE, 0.1,
                Objective.ONE_MINUS_P, Init.ZEROS, 0L, false, 0);
    }

    public MiFaceParams withAlpha(int v) {
        return new MiFaceParams(v, beta, gamma, gammaMode, lambda, objective, init, seed, recordTrajectory, snapshotEvery);
    }

    public MiFaceParams withBeta(int v) {
        return new MiFaceParams(alpha, v, gamma, gammaMode, lambda, objective, init, seed, recordTrajectory, snapshotEvery);
    }

    public MiFaceParams withGamma(double v) {
        return new MiFaceParams(alpha, beta, v, gammaMode, lambda, objective, init, seed, recordTrajectory, snapshotEvery);
    }

    /** Note: switching to CONFIDENCE re-validates gamma as a probability. */
    public MiFaceParams withGammaMode(GammaMode v) {
        return new MiFaceParams(alpha, beta, gamma, v, lambda, objective, init, seed, recordTrajectory, snapshotEvery);
    }

    /** Sets gamma and its reading together (avoids an invalid intermediate value). */
    public MiFaceParams withGamma(double v, GammaMode mode) {
        return new MiFaceParams(alpha, beta, v, mode, lambda, objective, init, seed, recordTrajectory, snapshotEvery);
    }

    public MiFaceParams withLambda(double v) {
        return new MiFaceParams(alpha, beta, gamma, gammaMode, v, objective, init, seed, recordTrajectory, snapshotEvery);
    }

    public MiFaceParams withObjective(Objective v) {
        return new MiFaceParams(alpha, beta, gamma, gammaMode, lambda, v, init, seed, recordTrajectory, snapshotEvery);
    }

    public MiFaceParams withInit(Init v) {
        return new MiFaceParams(alpha, beta, gamma, gammaMode, lambda, objective, v, seed, recordTrajectory, snapshotEvery);
    }

    public MiFaceParams withSeed(long v) {
        return new MiFaceParams(alpha, beta, gamma, gammaMode, lambda, objective, init, v, recordTrajectory, snapshotEvery);
    }

    public MiFaceParams withRecordTrajectory(boolean v) {
        return new MiFaceParams(alpha, beta, gamma, gammaMode, lambda, objective, init, seed, v, snapshotEvery);
    }

    public MiFaceParams withSnapshotEvery(int v) {
        return new MiFaceParams(alpha, beta, gamma, gammaMode, lambda, objective, init, seed, recordTrajectory, v);
    }

    /**
     * The parameters as an ordered, unmodifiable map for provenance and result files. Enums are
     * written as their names (objective also as its symbol under "objectiveSymbol").
     */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", alpha);
        m.put("beta", beta);
        m.put("gamma", gamma);
        m.put("gammaMode", gammaMode.name());
        m.put("lambda", lambda);
        m.put("objective", objective.name());
        m.put("objectiveSymbol", objective.symbol());
        m.put("init", init.name());
        m.put("seed", seed);
        m.put("recordTrajectory", recordTrajectory);
        m.put("snapshotEvery", snapshotEvery);
        return Collections.unmodifiableMap(m);
    }
}
