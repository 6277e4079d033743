package dev.mi4j.attacks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bookkeeping every batched, iterative inversion attack needs, in one place: which targets
 * are still running (the <em>active rows</em> of the attack's [m, c, h, w] tensors), each
 * target's cost history, best iterate (lowest cost, earliest on ties), queries, iterations and
 * stop reason; stopped targets are frozen and their rows dropped from the batch, so that only
 * active targets are sent to the model (and counted as queries). The attack keeps its own
 * algorithm: it evaluates the active rows, {@link #record}s each, {@link #stop}s those a rule
 * stops, and {@link #retain}s the rest.
 *
 * <p>Allocation: while the active set stays the same nothing is allocated; the best iterates of
 * the active rows live in a row-aligned buffer, so "every target improved" is one copy.
 */
public final class ActiveTargets {

    private final TargetState[] states;
    private final INDArray best;          // [n, c, h, w], best iterate per target
    private INDArray bestActive;          // [m, c, h, w], best iterate per active row
    private int[] active;                 // active row k -> target position
    private final boolean[] improvedRow;  // scratch, per active row of the current iteration
    private int improvedCount;

    /**
     * @param labels the target labels, in result order
     * @param start  [n, c, h, w] the start images x_0, one per target (copied)
     */
    public ActiveTargets(int[] labels, INDArray start) {
        int n = labels.length;
        this.states = new TargetState[n];
        for (int t = 0; t < n; t++) {
            states[t] = new TargetState(labels[t]);
        }
        this.best = start.dup();
        this.bestActive = best.dup();
        this.active = new int[n];
        for (int t = 0; t < n; t++) {
            active[t] = t;
        }
        this.improvedRow = new boolean[n];
    }

    /** Rows still running. */
    public int size() {
        return active.length;
    }

    /** The labels of the active rows, in row order. */
    public int[] labels() {
        int[] labels = new int[active.length];
        for (int k = 0; k < active.length; k++) {
            labels[k] = states[active[k]].label;
        }
        return labels;
    }

    /**
     * Records the evaluation of active row {@code k}'s iterate x_i: one query, cost c and p_label p;
     * a non-finite cost or probability stops the target as {@link StopReason#DIVERGED}. Returns
     * false when it did (the row must not continue).
     *
     * @param current the active rows' iterates [m, c, h, w] (row k is copied when it is the new best)
     */
    public boolean record(int k, int iteration, double c, double p, INDArray current, int snapshotEvery) {
        TargetState st = states[active[k]];
        st.queries++;
        st.iterations = iteration;
        st.costs.add(c);
        if (snapshotEvery > 0 && iteration % snapshotEvery == 0) {
            st.snapshots.add(current.slice(k).dup());
        }
        if (!Double.isFinite(c) || !Double.isFinite(p)) {
            st.stopReason = StopReason.DIVERGED;
            return false;
        }
        if (c < st.bestCost) {
            st.bestCost = c;
            st.bestPLabel = p;
            st.bestIteration = iteration;
            improvedRow[k] = true;
            improvedCount++;
        }
        return true;
    }

    /** The recorded costs c(x_from) .. c(x_{to-1}) of active row k: their maximum. */
    public double maxCost(int k, int from, int to) {
        return states[active[k]].costs.max(from, to);
    }

    /** Stops active row k for {@code reason} (it is dropped at the next {@link #retain}). */
    public void stop(int k, StopReason reason) {
        states[active[k]].stopReason = reason;
    }

    /**
     * Stops the rows whose flag is false at iteration i, without an evaluation: their x_i exists
     * but is not finite (recorded as a NaN cost, never a snapshot, never a best iterate).
     * Returns the rows to keep.
     */
    public int[] stopUnevaluated(boolean[] ok, int iteration, StopReason reason) {
        for (int k = 0; k < ok.length; k++) {
            if (!ok[k]) {
                TargetState st = states[active[k]];
                st.stopReason = reason;
                st.iterations = iteration;
                st.costs.add(Double.NaN);
            }
        }
        return indicesOf(ok);
    }

    /** Stops every active target (e.g. the query budget refused the next call); each keeps its best iterate. */
    public void stopAll(StopReason reason) {
        for (int k = 0; k < active.length; k++) {
            states[active[k]].stopReason = reason;
        }
        retain(new int[0]);
    }

    /**
     * After the active rows were {@link #record}ed: copies the rows that improved into the best
     * buffer. {@code current} is the [m, c, h, w] tensor of the iterates that were recorded.
     */
    public void keepImproved(INDArray current) {
        int m = active.length;
        if (improvedCount == m) {
            bestActive.assign(current);
        } else if (improvedCount > 0) {
            for (int k = 0; k < m; k++) {
                if (improvedRow[k]) {
                    bestActive.slice(k).assign(current.slice(k));
                }
            }
        }
        Arrays.fill(improvedRow, false);
        improvedCount = 0;
    }

    /** Copies the improved rows of the iterates into the best buffer itself, as part of a pass of its own. */
    @FunctionalInterface
    public interface ImprovedRowsCopier {
        /**
         * @param best     [m, ...] the active rows' best iterates, row-aligned with the iterates
         * @param improved per active row: whether its iterate is the new best and must be copied
         * @return true when it copied them; false to leave the copy to {@link ActiveTargets}
         */
        boolean copy(INDArray best, boolean[] improved);
    }

    /**
     * As {@link #keepImproved(INDArray)}, for an attack that copies the improved rows in a pass
     * of its own over the iterates (MI-Face's fused update reads each iterate once to copy and
     * to step it). Returns true when {@code copier} did the copy, false when it declined and the
     * rows were copied here.
     */
    public boolean keepImproved(INDArray current, ImprovedRowsCopier copier) {
        boolean copied = copier.copy(bestActive, improvedRow);
        if (copied) {
            Arrays.fill(improvedRow, false);
            improvedCount = 0;
        } else {
            keepImproved(current);
        }
        return copied;
    }

    /**
     * Keeps only active rows {@code keep} (ascending): the others' best iterates are saved and
     * their rows dropped. Each of {@code rowAligned} ([m, ...] tensors of the attack, e.g. the
     * iterates and the gradient) is returned with only the kept rows, in the same order (the same
     * tensor when every row is kept; null for an empty keep).
     */
    public INDArray[] retain(int[] keep, INDArray... rowAligned) {
        if (keep.length == active.length) {
            return rowAligned;
        }
        boolean[] kept = new boolean[active.length];
        for (int k : keep) {
            kept[k] = true;
        }
        for (int k = 0; k < active.length; k++) {
            if (!kept[k]) {
                best.slice(active[k]).assign(bestActive.slice(k));
            }
        }
        INDArray[] out = new INDArray[rowAligned.length];
        for (int j = 0; j < rowAligned.length; j++) {
            out[j] = gather(rowAligned[j], keep);
        }
        bestActive = gather(bestActive, keep);
        int[] next = new int[keep.length];
        for (int j = 0; j < keep.length; j++) {
            next[j] = active[keep[j]];
        }
        active = next;
        return out;
    }

    /** Indices of the true flags, ascending. */
    public static int[] indicesOf(boolean[] flags) {
        int count = 0;
        for (boolean f : flags) {
            count += f ? 1 : 0;
        }
        int[] out = new int[count];
        int j = 0;
        for (int k = 0; k < flags.length; k++) {
            if (flags[k]) {
                out[j++] = k;
            }
        }
        return out;
    }

    /** Total queries of all targets so far. */
    public long totalQueries() {
        long q = 0;
        for (TargetState st : states) {
            q += st.queries;
        }
        return q;
    }

    /** How many targets stopped for each reason (call when every target has stopped). */
    public Map<StopReason, Integer> stopReasons() {
        Map<StopReason, Integer> reasons = new EnumMap<>(StopReason.class);
        for (TargetState st : states) {
            reasons.merge(st.stopReason, 1, Integer::sum);
        }
        return reasons;
    }

    /** One reconstruction per target, in target order (call when every target has stopped). */
    public List<Reconstruction> reconstructions(boolean recordTrajectory) {
        List<Reconstruction> recs = new ArrayList<>(states.length);
        for (int t = 0; t < states.length; t++) {
            TargetState st = states[t];
            boolean hasBest = st.bestIteration >= 0;
            recs.add(new Reconstruction(st.label, best.slice(t).dup(),
                    hasBest ? st.bestCost : Double.NaN, hasBest ? st.bestPLabel : Double.NaN,
                    Math.max(st.bestIteration, 0), st.iterations, st.queries, st.stopReason,
                    recordTrajectory ? st.costs.toArray() : null, st.snapshots));
        }
        return recs;
    }

    /** Rows keep of [m, ...] into a new [keep.length, ...] tensor. */
    private INDArray gather(INDArray x, int[] keep) {
        if (keep.length == x.size(0)) {
            return x;
        }
        if (keep.length == 0) {
            return null;
        }
        long[] s = x.shape().clone();   // shape() may be the array's own: never change it
        long per = x.length() / s[0];
        INDArray rows = Nd4j.pullRows(x.reshape(s[0], per), 1, keep);
        s[0] = keep.length;
        return rows.reshape(s);
    }

    /** Mutable bookkeeping of one target during a run. */
    private static final class TargetState {
        final int label;
        final CostHistory costs = new CostHistory();
        final List<INDArray> snapshots = new ArrayList<>();
        double bestCost = Double.POSITIVE_INFINITY;
        double bestPLabel = Double.NaN;
        int bestIteration = -1;
        int iterations;
        long queries;
        StopReason stopReason;

        TargetState(int label) {
            this.label = label;
        }
    }

    /** Growable list of the costs c(x_0), c(x_1), ... of one target. */
    private static final class CostHistory {
        private double[] values = new double[64];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        /** Maximum of values[from, to). */
        double max(int from, int to) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = from; j < to; j++) {
                m = Math.max(m, values[j]);
            }
            return m;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
