package dev.mi4j.attacks.attribute;

import dev.mi4j.attacks.AttackParameter;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.core.tabular.DecisionTree;
import dev.mi4j.core.tabular.TreeNode;
import java.util.List;
import java.util.Set;

/**
 * The white-box decision-tree estimator of CCS 2015 Section 4 ("white-box with counts"): the
 * attacker reads the tree and the number of training records that reached each leaf, and scores
 * each candidate v of the sensitive attribute by the training records on the paths the target
 * record could have taken with v:
 * <pre>  score(v) = sum over leaves l reachable from (known features, v) that agree with y of n_l * w_l(v)</pre>
 * with y the record's known label. Unknown non-sensitive features (NaN) are allowed: both branches
 * of a split on them are followed. How a leaf "agrees with y" ({@code counts}):
 * <ul>
 *   <li>{@code leaf} (default, the paper's reading): the leaf outputs y, and it counts with all
 *       n_l records that reached it;</li>
 *   <li>{@code label}: every reachable leaf counts with n_l(y), its training records of class y
 *       (services that publish per-class counts at the leaves allow this finer estimate).</li>
 * </ul>
 * How a count is weighed ({@code weight}):
 * <ul>
 *   <li>{@code prior} (default, as the paper writes it and as ART implements it): w_l(v) = p(v),
 *       the sensitive attribute's marginal prior, on every path;</li>
 *   <li>{@code admitted}: w_l(v) = p(v) / p(A_l), A_l the values of the sensitive attribute that the
 *       path to l admits. Where the path does not test the attribute this is p(v) as above; where
 *       it does, the leaf's count already holds only records with admitted values, and is shared
 *       among them rather than multiplied by the prior a second time.</li>
 * </ul>
 * Where no reachable leaf agrees with y for any v, the prior decides. No queries: the attacker
 * evaluates the tree itself. Why it can beat the black-box estimator on training records: a leaf
 * that a member reached with its true value holds that member among its counts.
 */
public final class WhiteBoxTree implements AttributeAttack {

    /** Registry name. */
    public static final String NAME = "attribute-whitebox";

    private final AttributeKnowledge knowledge;
    private final DecisionTree tree;
    private final boolean perLabel;
    private final boolean shareByPath;

    /**
     * @param perLabel    count the label's records at every reachable leaf ({@code counts: label})
     *                    rather than all records at the leaves that output the label
     * @param shareByPath share a leaf's count among the sensitive values its path admits in
     *                    proportion to the prior ({@code weight: admitted}) rather than multiply it by
     *                    the prior ({@code weight: prior})
     */
    public WhiteBoxTree(AttributeKnowledge knowledge, boolean perLabel, boolean shareByPath) {
        this.knowledge = knowledge;
        this.tree = knowledge.requireTree();
        this.perLabel = perLabel;
        this.shareByPath = shareByPath;
    }

    @Override
    public AttributeInference infer(double[][] records, int[] labels) {
        long start = System.currentTimeMillis();
        AttributeTargets.check(knowledge, records, labels, false);
        int k = knowledge.candidates();
        int s = knowledge.sensitive();
        double[] prior = knowledge.prior();
        int[] out = new int[records.length];
        double[][] post = new double[records.length][];
        int fallbacks = 0;
        for (int i = 0; i < records.length; i++) {
            double[] score = new double[k];
            boolean[] all = new boolean[k];
            java.util.Arrays.fill(all, true);
            walk(tree.root(), records[i], labels[i], all, prior, score);
            if (AttributeTargets.decide(score, prior, out, i)) {
                fallbacks++;
            }
            post[i] = score;
        }
        return new AttributeInference(out, post, fallbacks, 0, System.currentTimeMillis() - start);
    }

    /**
     * Adds to {@code score} the weighted counts of every leaf below {@code node} that the record can
     * reach; {@code admitted} holds the sensitive values the path so far allows.
     */
    private void walk(TreeNode node, double[] record, int label, boolean[] admitted, double[] prior, double[] score) {
        if (node instanceof TreeNode.Leaf leaf) {
            double n = perLabel ? leaf.count(label) : leaf.predicted() == label ? leaf.total() : 0;
            if (n == 0) {
                return;
            }
            double mass = 0;
            for (int v = 0; v < admitted.length; v++) {
                mass += admitted[v] ? prior[v] : 0;
            }
            for (int v = 0; v < admitted.length; v++) {
                if (admitted[v]) {
                    score[v] += n * (shareByPath ? (mass > 0 ? prior[v] / mass : 0) : prior[v]);
                }
            }
            return;
        }
        TreeNode.Split split = (TreeNode.Split) node;
        int s = knowledge.sensitive();
        if (split.column() == s) {
            boolean[] yes = new boolean[admitted.length];
            boolean[] no = new boolean[admitted.length];
            boolean anyYes = false;
            boolean anyNo = false;
            for (int v = 0; v < admitted.length; v++) {
                boolean passes = split.test().holds(v);
                yes[v] = admitted[v] && passes;
                no[v] = admitted[v] && !passes;
                anyYes |= yes[v];
                anyNo |= no[v];
            }
            if (anyYes) {
                walk(split.whenTrue(), record, label, yes, prior, score);
            }
            if (anyNo) {
                walk(split.whenFalse(), record, label, no, prior, score);
            }
            return;
        }
        double v = record[split.column()];
        if (Double.isNaN(v) || split.test().holds(v)) {
            walk(split.whenTrue(), record, label, admitted, prior, score);
        }
        if (Double.isNaN(v) || !split.test().holds(v)) {
            walk(split.whenFalse(), record, label, admitted, prior, score);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Its registry entry. */
    public static final class Spec implements AttributeAttackSpec {

        static final String COUNTS = "counts";
        static final String WEIGHT = "weight";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String summary() {
            return "white-box decision-tree estimator (CCS 2015 Sec. 4, white-box with counts): argmax_v p(v) * training"
                    + " records at the leaves reachable with v that agree with the label";
        }

        @Override
        public List<AttackParameter> parameters() {
            return List.of(AttackParameter.choice(COUNTS, "leaf", List.of("leaf", "label"), true,
                            "leaf: all records at reachable leaves that output the label (the paper); label: the label's"
                                    + " records at every reachable leaf"),
                    AttackParameter.choice(WEIGHT, "prior", List.of("prior", "admitted"), true,
                            "prior: a leaf's count times p(v) (the paper); admitted: shared among the values of the"
                                    + " sensitive attribute its path admits, in proportion to p"));
        }

        @Override
        public void validate(AttackParams params) {
            params.getString(COUNTS);
            params.getString(WEIGHT);
        }

        @Override
        public Set<AttributeKnowledge.Need> needs(AttackParams params) {
            return Set.of(AttributeKnowledge.Need.TREE);
        }

        /** It never asks the model, so what the API releases does not change its answer. */
        @Override
        public boolean queriesModel() {
            return false;
        }

        @Override
        public AttributeAttack create(AttackParams params, AttributeKnowledge knowledge) {
            return new WhiteBoxTree(knowledge, params.getString(COUNTS).equals("label"),
                    params.getString(WEIGHT).equals("admitted"));
        }
    }
}
