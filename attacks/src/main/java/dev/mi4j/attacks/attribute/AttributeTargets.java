package dev.mi4j.attacks.attribute;

/** Builds an attacker's view of target records, and the bookkeeping the estimators share. */
public final class AttributeTargets {

    private AttributeTargets() {
    }

    /** Copies of {@code records} with column {@code sensitive} set to NaN (unknown). */
    public static double[][] hide(double[][] records, int sensitive) {
        double[][] out = new double[records.length][];
        for (int i = 0; i < records.length; i++) {
            out[i] = records[i].clone();
            out[i][sensitive] = Double.NaN;
        }
        return out;
    }

    /**
     * Checks the attacker's input: as many labels as records, each label a class, the sensitive
     * column hidden, and (when {@code complete}) every other column known.
     */
    static void check(AttributeKnowledge k, double[][] records, int[] labels, boolean complete) {
        if (records == null || labels == null || records.length != labels.length) {
            throw new IllegalArgumentException("records and labels: one label per record required");
        }
        int cols = k.model().schema().size();
        for (int i = 0; i < records.length; i++) {
            if (records[i] == null || records[i].length != cols) {
                throw new IllegalArgumentException("record " + i + ": expected " + cols + " values");
            }
            if (!Double.isNaN(records[i][k.sensitive()])) {
                throw new IllegalArgumentException("record " + i + ", column " + k.sensitiveColumn().name()
                        + ": the sensitive value must be hidden (NaN), see AttributeTargets.hide");
            }
            if (labels[i] < 0 || labels[i] >= k.model().numClasses()) {
                throw new IllegalArgumentException("record " + i + ": label " + labels[i] + " outside [0, "
                        + k.model().numClasses() + ")");
            }
            for (int j = 0; j < cols; j++) {
                if (j == k.sensitive()) {
                    continue;
                }
                double v = records[i][j];
                if (Double.isNaN(v) ? complete : !k.model().schema().column(j).accepts(v)) {
                    throw new IllegalArgumentException("record " + i + ", column " + k.model().schema().column(j).name()
                            + (Double.isNaN(v) ? ": unknown, and this attack needs every non-sensitive value"
                            : ": invalid value " + v));
                }
            }
        }
    }

    /**
     * The decision rule every estimator shares: the candidate with the highest score; ties go to the
     * higher prior, then the lower index. When every score is zero (the model ruled out every
     * candidate, or told nothing) the scores are replaced by the prior, and true is returned.
     *
     * @param scores unnormalised scores, replaced in place by the normalised posterior
     * @return whether the prior had to decide
     */
    static boolean decide(double[] scores, double[] prior, int[] out, int i) {
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        boolean fallback = !(sum > 0);
        if (fallback) {
            System.arraycopy(prior, 0, scores, 0, scores.length);
            sum = 0;
            for (double s : scores) {
                sum += s;
            }
        }
        for (int v = 0; v < scores.length; v++) {
            scores[v] /= sum;
        }
        int best = 0;
        for (int v = 1; v < scores.length; v++) {
            if (scores[v] > scores[best] || (scores[v] == scores[best] && prior[v] > prior[best])) {
                best = v;
            }
        }
        out[i] = best;
        return fallback;
    }
}
