package dev.mi4j.attacks.attribute;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How well inferred sensitive values match the truth, as CCS 2015 Section 4 reports them:
 * accuracy over all records, and precision and recall for the positive value (the sensitive
 * "Yes"): of the records the attack called positive, how many are (precision; NaN when it called
 * none), and of the positive records, how many it found (recall; NaN when there are none).
 *
 * @param n  records scored
 * @param tp positive, inferred positive
 * @param fp negative, inferred positive
 * @param fn positive, inferred negative
 * @param tn negative, inferred negative (other wrong values of a non-binary column count as wrong
 *           for accuracy only)
 * @param correct records whose value was inferred exactly
 */
public record InferenceScores(int n, int tp, int fp, int fn, int tn, int correct) {

    /** Scores {@code inferred} against {@code truth}, with {@code positive} the category of interest. */
    public static InferenceScores of(int[] truth, int[] inferred, int positive) {
        if (truth.length != inferred.length) {
            throw new IllegalArgumentException("truth and inferred: lengths differ (" + truth.length + " vs "
                    + inferred.length + ")");
        }
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean pos = truth[i] == positive;
            boolean said = inferred[i] == positive;
            if (truth[i] == inferred[i]) {
                correct++;
            }
            if (pos && said) {
                tp++;
            } else if (!pos && said) {
                fp++;
            } else if (pos) {
                fn++;
            } else {
                tn++;
            }
        }
        return new InferenceScores(truth.length, tp, fp, fn, tn, correct);
    }

    public double accuracy() {
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    public double precision() {
        return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    }

    public double recall() {
        return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    }

    /** The counts and the three rates, for result files. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("accuracy", accuracy());
        m.put("precision", precision());
        m.put("recall", recall());
        m.put("tp", tp);
        m.put("fp", fp);
        m.put("fn", fn);
        m.put("tn", tn);
        return m;
    }
}
