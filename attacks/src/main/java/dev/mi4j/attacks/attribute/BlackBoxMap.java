package dev.mi4j.attacks.attribute;

import dev.mi4j.attacks.AttackParameter;
import dev.mi4j.attacks.AttackParams;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The black-box maximum a posteriori estimator of Fredrikson et al. (USENIX Security 2014; CCS
 * 2015 Section 4): for each candidate value v of the sensitive attribute, complete the record with
 * v, query the model, and score
 * <pre>  score(v) = p(v) * P(y | known features, v)</pre>
 * where p is the sensitive attribute's marginal prior and y the record's known label; the answer is
 * the candidate of highest score. The likelihood comes from what the API releases:
 * <ul>
 *   <li>{@code output: confidences}: the released score of class y for the completed record (a
 *       rounded confidence, under the rounding countermeasure);</li>
 *   <li>{@code output: labels}: only the predicted label y' is released, and the likelihood is read
 *       from the model's confusion matrix as Pr[true class y | model says y'], i.e.
 *       {@code C[y][y'] / sum_t C[t][y']} (the estimator of Fredrikson 2014, whose pi(y, y') weighs
 *       how often the model's answer y' goes with the true y).</li>
 * </ul>
 * Both treat the known features as independent of v (the papers' assumption), so p(known | v)
 * cancels. Where every candidate scores zero (e.g. every confidence rounded to 0) the prior
 * decides. Cost: one query per candidate per record, sent as one batch.
 */
public final class BlackBoxMap implements AttributeAttack {

    /** Registry name. */
    public static final String NAME = "attribute-blackbox";

    private final AttributeKnowledge knowledge;
    private final boolean labelsOnly;

    public BlackBoxMap(AttributeKnowledge knowledge, boolean labelsOnly) {
        this.knowledge = knowledge;
        this.labelsOnly = labelsOnly;
        if (labelsOnly) {
            knowledge.requireConfusion();
        }
    }

    @Override
    public AttributeInference infer(double[][] records, int[] labels) {
        long start = System.currentTimeMillis();
        AttributeTargets.check(knowledge, records, labels, true);
        int k = knowledge.candidates();
        int s = knowledge.sensitive();
        double[][] queries = new double[records.length * k][];
        for (int i = 0; i < records.length; i++) {
            for (int v = 0; v < k; v++) {
                double[] q = records[i].clone();
                q[s] = v;
                queries[i * k + v] = q;
            }
        }
        long before = knowledge.model().queryCount();
        INDArray released = records.length == 0 ? null : knowledge.model().predict(queries);
        long spent = knowledge.model().queryCount() - before;
        double[][] confusion = labelsOnly ? knowledge.requireConfusion() : null;
        double[] prior = knowledge.prior();
        int[] out = new int[records.length];
        double[][] post = new double[records.length][];
        int fallbacks = 0;
        for (int i = 0; i < records.length; i++) {
            double[] score = new double[k];
            for (int v = 0; v < k; v++) {
                double[] row = released.getRow(i * k + v).toDoubleVector();
                double likelihood = labelsOnly ? trueGivenPredicted(confusion, labels[i], argmax(row)) : row[labels[i]];
                score[v] = prior[v] * Math.max(0, likelihood);
            }
            if (AttributeTargets.decide(score, prior, out, i)) {
                fallbacks++;
            }
            post[i] = score;
        }
        return new AttributeInference(out, post, fallbacks, spent, System.currentTimeMillis() - start);
    }

    /** Pr[true class y | predicted p] from confusion counts; uniform when the model never says p. */
    static double trueGivenPredicted(double[][] confusion, int y, int p) {
        double col = 0;
        for (double[] row : confusion) {
            col += row[p];
        }
        return col > 0 ? confusion[y][p] / col : 1.0 / confusion.length;
    }

    /** The released label: the highest score, ties to the lower class (as the label-only policy breaks them). */
    static int argmax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Its registry entry. */
    public static final class Spec implements AttributeAttackSpec {

        static final String OUTPUT = "output";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String summary() {
            return "black-box MAP estimator (Fredrikson et al. 2014; CCS 2015 Sec. 4): argmax_v p(v) * P(label | features, v)"
                    + " from released confidences, or from the confusion matrix when only labels are released";
        }

        @Override
        public List<AttackParameter> parameters() {
            return List.of(AttackParameter.choice(OUTPUT, "confidences", List.of("confidences", "labels"), true,
                    "what the API releases: class scores (the likelihood is the label's score) or only the"
                            + " predicted label (the likelihood comes from the confusion matrix)"));
        }

        @Override
        public void validate(AttackParams params) {
            params.getString(OUTPUT);
        }

        @Override
        public Set<AttributeKnowledge.Need> needs(AttackParams params) {
            return labels(params) ? Set.of(AttributeKnowledge.Need.CONFUSION) : Set.of();
        }

        @Override
        public AttributeAttack create(AttackParams params, AttributeKnowledge knowledge) {
            return new BlackBoxMap(knowledge, labels(params));
        }

        private static boolean labels(AttackParams params) {
            return params.getString(OUTPUT).equals("labels");
        }
    }
}
