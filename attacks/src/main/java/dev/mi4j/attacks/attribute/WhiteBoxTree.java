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
 * <pre>  score(v) = p(v) * sum over leaves l reachable from (known features, v) that agree with y of n_l</pre>
 * with p the marginal prior and y the record's known label. Unknown non-sensitive features (NaN)
 * are allowed: both branches of a split on them are followed. How a leaf "agrees with y":
 * <ul>
 *   <li>{@code counts: leaf} (default, the paper's reading): the leaf outputs y, and it counts with
 *       all n_l records that reached it;</li>
 *   <li>{@code counts: label}: every reachable leaf counts with its n_l(y), the training records of
 *       class y there (services that publish per-class counts at the leaves allow this finer
 *       estimate).</li>
 * </ul>
 * As the paper writes it, p(v) multiplies the count even on paths that test the sensitive
 * attribute, whose counts already hold only records with that value. Where no reachable leaf
 * agrees with y for any v, the prior decides. No queries: the attacker evaluates the tree itself.
 * Why it beats the black-box estimator on training records: a leaf that a member reached with its
 * true value holds that member among its counts, so small, pure leaves point at the truth.
 */
public final class WhiteBoxTree implements AttributeAttack {

    /** Registry name. */
    public static final String NAME = "attribute-whitebox";

    private final AttributeKnowledge knowledge;
    private final DecisionTree tree;
    private final boolean perLabel;

    public WhiteBoxTree(AttributeKnowledge knowledge, boolean perLabel) {
        this.knowledge = knowledge;
        this.tree = knowledge.requireTree();
        this.perLabel = perLabel;
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
            for (int v = 0; v < k; v++) {
                double[] partial = records[i].clone();
                partial[s] = v;
                double n = 0;
                for (TreeNode.Leaf leaf : TreeNode.reachable(tree.root(), partial)) {
                    if (perLabel) {
                        n += leaf.count(labels[i]);
                    } else if (leaf.predicted() == labels[i]) {
                        n += leaf.total();
                    }
                }
                score[v] = prior[v] * n;
            }
            if (AttributeTargets.decide(score, prior, out, i)) {
                fallbacks++;
            }
            post[i] = score;
        }
        return new AttributeInference(out, post, fallbacks, 0, System.currentTimeMillis() - start);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Its registry entry. */
    public static final class Spec implements AttributeAttackSpec {

        static final String COUNTS = "counts";

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
                            + " records at every reachable leaf"));
        }

        @Override
        public void validate(AttackParams params) {
            params.getString(COUNTS);
        }

        @Override
        public Set<AttributeKnowledge.Need> needs(AttackParams params) {
            return Set.of(AttributeKnowledge.Need.TREE);
        }

        @Override
        public AttributeAttack create(AttackParams params, AttributeKnowledge knowledge) {
            return new WhiteBoxTree(knowledge, params.getString(COUNTS).equals("label"));
        }
    }
}
