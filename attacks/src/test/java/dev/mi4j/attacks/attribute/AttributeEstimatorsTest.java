package dev.mi4j.attacks.attribute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.AttackRegistry;
import dev.mi4j.core.tabular.CartTree;
import dev.mi4j.core.tabular.DecisionTree;
import dev.mi4j.core.tabular.TabularClassifier;
import dev.mi4j.core.tabular.TabularColumn;
import dev.mi4j.core.tabular.TabularData;
import dev.mi4j.core.tabular.TabularSchema;
import dev.mi4j.core.tabular.TreeNode;
import dev.mi4j.core.testing.SyntheticTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each estimator on tables small enough that the right answer is worked out by hand: column 0 is
 * the sensitive s (no/yes), column 1 a known a (no/yes), classes no/yes.
 */
class AttributeEstimatorsTest {

    private static final TabularSchema SCHEMA = new TabularSchema(List.of(
            TabularColumn.nominal("s", List.of("no", "yes")),
            TabularColumn.nominal("a", List.of("no", "yes"))));
    private static final double[] PRIOR = {0.8, 0.2};
    private static final double EPS = 1e-12;

    /** A model whose P(class yes | s, a) is given; it records what it was asked. */
    static final class Stub implements TabularClassifier {
        final ToDoubleFunction<double[]> pYes;
        final List<double[]> asked = new ArrayList<>();

        Stub(ToDoubleFunction<double[]> pYes) {
            this.pYes = pYes;
        }

        @Override
        public TabularSchema schema() {
            return SCHEMA;
        }

        @Override
        public List<String> classes() {
            return List.of("no", "yes");
        }

        @Override
        public INDArray predict(double[][] records) {
            double[][] out = new double[records.length][];
            for (int i = 0; i < records.length; i++) {
                SCHEMA.check(records[i], i);
                asked.add(records[i].clone());
                double p = pYes.applyAsDouble(records[i]);
                out[i] = new double[] {1 - p, p};
            }
            return Nd4j.createFromArray(out);
        }

        @Override
        public long queryCount() {
            return asked.size();
        }

        @Override
        public void resetQueryCount() {
            asked.clear();
        }
    }

    /**
     * A fixed tree: s = no -> leaf A (says no, counts no 30 / yes 10); s = yes and a = no -> leaf B
     * (says yes, 2 / 8); s = yes and a = yes -> leaf C (says no, 5 / 5).
     */
    static class FixedTree implements DecisionTree {
        final TreeNode root = new TreeNode.Split(0, new TreeNode.InCategories(Set.of(0)),
                new TreeNode.Leaf(0, new double[] {0.75, 0.25}, new int[] {30, 10}),
                new TreeNode.Split(1, new TreeNode.InCategories(Set.of(0)),
                        new TreeNode.Leaf(1, new double[] {0.2, 0.8}, new int[] {2, 8}),
                        new TreeNode.Leaf(0, new double[] {0.5, 0.5}, new int[] {5, 5})));
        long queries;

        @Override
        public TreeNode root() {
            return root;
        }

        @Override
        public TabularSchema schema() {
            return SCHEMA;
        }

        @Override
        public List<String> classes() {
            return List.of("no", "yes");
        }

        @Override
        public INDArray predict(double[][] records) {
            queries += records.length;
            double[][] out = new double[records.length][];
            for (int i = 0; i < records.length; i++) {
                out[i] = leaf(records[i]).scores();
            }
            return Nd4j.createFromArray(out);
        }

        @Override
        public long queryCount() {
            return queries;
        }

        @Override
        public void resetQueryCount() {
            queries = 0;
        }
    }

    private static double[][] targets(double... knownA) {
        double[][] r = new double[knownA.length][];
        for (int i = 0; i < knownA.length; i++) {
            r[i] = new double[] {Double.NaN, knownA[i]};
        }
        return r;
    }

    private static AttributeAttack make(String name, Map<String, Object> params, AttributeKnowledge k) {
        var spec = AttackRegistry.attribute(name);
        return spec.create(spec.defaults().with(params), k);
    }

    @Test
    void priorBaselineAlwaysAnswersTheMajorityAndNeverQueries() {
        Stub model = new Stub(r -> 0.5);
        AttributeInference r = make(PriorBaseline.NAME, Map.of(), AttributeKnowledge.blackBox(model, 0, PRIOR))
                .infer(targets(0, 1, 0), new int[] {1, 0, 1});
        assertArrayEquals(new int[] {0, 0, 0}, r.inferred());
        assertArrayEquals(PRIOR, r.posterior()[1], EPS);
        assertEquals(0, r.queries());
        assertEquals(0, model.queryCount());
        // With the other value more common, the other answer.
        assertArrayEquals(new int[] {1, 1}, make(PriorBaseline.NAME, Map.of(),
                AttributeKnowledge.blackBox(model, 0, new double[] {0.4, 0.6})).infer(targets(0, 1), new int[] {0, 0})
                .inferred());
    }

    /**
     * P(yes | s, a): s=yes,a=no 0.9; s=no,a=no 0.3; s=yes,a=yes 0.95; s=no,a=yes 0.1. With prior
     * (0.8, 0.2) and label yes: a=no scores no 0.8*0.3 = 0.24 against yes 0.2*0.9 = 0.18 (-> no);
     * a=yes scores no 0.08 against yes 0.19 (-> yes). With label no, a=yes: no 0.8*0.9 = 0.72,
     * yes 0.2*0.05 = 0.01 (-> no).
     */
    @Test
    void blackBoxWithConfidencesIsTheMapOfPriorTimesLabelConfidence() {
        Stub model = new Stub(r -> r[0] == 1 ? (r[1] == 0 ? 0.9 : 0.95) : (r[1] == 0 ? 0.3 : 0.1));
        AttributeInference r = make(BlackBoxMap.NAME, Map.of(), AttributeKnowledge.blackBox(model, 0, PRIOR))
                .infer(targets(0, 1, 1), new int[] {1, 1, 0});
        assertArrayEquals(new int[] {0, 1, 0}, r.inferred());
        assertArrayEquals(new double[] {0.24 / 0.42, 0.18 / 0.42}, r.posterior()[0], 1e-9);
        assertArrayEquals(new double[] {0.08 / 0.27, 0.19 / 0.27}, r.posterior()[1], 1e-9);
        assertArrayEquals(new double[] {0.72 / 0.73, 0.01 / 0.73}, r.posterior()[2], 1e-9);
        assertEquals(0, r.fallbacks());
        // One query per candidate per record, each the record completed with the candidate.
        assertEquals(6, r.queries());
        assertArrayEquals(new double[] {0, 0}, model.asked.get(0));
        assertArrayEquals(new double[] {1, 0}, model.asked.get(1));
        assertArrayEquals(new double[] {1, 1}, model.asked.get(3));
    }

    @Test
    void blackBoxFallsBackToThePriorWhenEveryConfidenceIsZero() {
        Stub model = new Stub(r -> 0.0); // the label "yes" is never given any confidence (as after rounding)
        AttributeInference r = make(BlackBoxMap.NAME, Map.of(), AttributeKnowledge.blackBox(model, 0, PRIOR))
                .infer(targets(0, 1), new int[] {1, 1});
        assertArrayEquals(new int[] {0, 0}, r.inferred());
        assertEquals(2, r.fallbacks());
        assertArrayEquals(PRIOR, r.posterior()[0], EPS);
    }

    /**
     * Label only: the model says yes exactly when s = yes. Confusion [true][predicted] =
     * [[40, 10], [20, 30]]: Pr[true yes | says yes] = 30/40, Pr[true yes | says no] = 20/60. Label
     * yes, prior (0.8, 0.2): no 0.8/3 = 0.267 against yes 0.15 (-> no); prior (0.5, 0.5): no 0.167
     * against yes 0.375 (-> yes).
     */
    @Test
    void blackBoxWithLabelsReadsTheLikelihoodFromTheConfusionMatrix() {
        Stub model = new Stub(r -> r[0] == 1 ? 1.0 : 0.0);
        double[][] confusion = {{40, 10}, {20, 30}};
        AttributeInference r = make(BlackBoxMap.NAME, Map.of("output", "labels"),
                AttributeKnowledge.blackBox(model, 0, PRIOR).withConfusion(confusion)).infer(targets(0), new int[] {1});
        assertArrayEquals(new int[] {0}, r.inferred());
        assertArrayEquals(new double[] {(0.8 / 3) / (0.8 / 3 + 0.15), 0.15 / (0.8 / 3 + 0.15)}, r.posterior()[0], 1e-9);
        AttributeInference even = make(BlackBoxMap.NAME, Map.of("output", "labels"),
                AttributeKnowledge.blackBox(model, 0, new double[] {0.5, 0.5}).withConfusion(confusion))
                .infer(targets(0), new int[] {1});
        assertArrayEquals(new int[] {1}, even.inferred());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> make(BlackBoxMap.NAME, Map.of("output", "labels"), AttributeKnowledge.blackBox(model, 0, PRIOR)));
        assertTrue(e.getMessage().startsWith("confusion"), e.getMessage());
    }

    /** The fixed tree, prior (0.8, 0.2); the expected scores are worked out in each comment. */
    @Test
    void whiteBoxCountsTheTrainingRecordsOnTheReachablePaths() {
        FixedTree tree = new FixedTree();
        AttributeKnowledge k = AttributeKnowledge.blackBox(tree, 0, PRIOR).withTree(tree);
        AttributeInference r = make(WhiteBoxTree.NAME, Map.of(), k).infer(
                targets(0, 1, 1, Double.NaN), new int[] {1, 1, 0, 1});
        // a=no, label yes: s=no reaches A (says no) -> 0; s=yes reaches B (says yes, 10 records) -> 0.2*10.
        assertEquals(1, r.inferred()[0]);
        assertArrayEquals(new double[] {0, 1}, r.posterior()[0], EPS);
        // a=yes, label yes: A and C both say no: nothing agrees, the prior decides.
        assertEquals(0, r.inferred()[1]);
        assertArrayEquals(PRIOR, r.posterior()[1], EPS);
        // a=yes, label no: s=no -> A, 0.8*40 = 32; s=yes -> C, 0.2*10 = 2.
        assertEquals(0, r.inferred()[2]);
        assertArrayEquals(new double[] {32.0 / 34, 2.0 / 34}, r.posterior()[2], EPS);
        // a unknown, label yes: s=yes reaches B and C, B agrees (10) -> yes.
        assertEquals(1, r.inferred()[3]);
        assertEquals(1, r.fallbacks());
        assertEquals(0, r.queries());
        assertEquals(0, tree.queryCount(), "the white-box attacker reads the tree, it does not query it");
    }

    /** Per-label counts: a=yes, label yes: s=no -> A has 10 yes, 0.8*10 = 8; s=yes -> C has 5, 0.2*5 = 1. */
    @Test
    void whiteBoxWithPerLabelCountsUsesTheLabelsRecordsAtEveryReachableLeaf() {
        FixedTree tree = new FixedTree();
        AttributeInference r = make(WhiteBoxTree.NAME, Map.of("counts", "label"),
                AttributeKnowledge.blackBox(tree, 0, PRIOR).withTree(tree)).infer(targets(1, 0), new int[] {1, 1});
        assertArrayEquals(new double[] {8.0 / 9, 1.0 / 9}, r.posterior()[0], EPS);
        // a=no, label yes: s=no -> A 0.8*10 = 8; s=yes -> B 0.2*8 = 1.6.
        assertArrayEquals(new double[] {8 / 9.6, 1.6 / 9.6}, r.posterior()[1], EPS);
        assertEquals(0, r.fallbacks());
    }

    /**
     * Weight "admitted": a path that tests s holds only records with the value it admits, so its
     * count goes to that value whole. a=yes, label no: A (admits no, says no, 40) and C (admits yes,
     * says no, 10): 40 against 10, where the paper's weighting gives 0.8*40 against 0.2*10.
     */
    @Test
    void whiteBoxWithAdmittedWeightsSharesACountAmongTheValuesItsPathAdmits() {
        FixedTree tree = new FixedTree();
        AttributeInference r = make(WhiteBoxTree.NAME, Map.of("weight", "admitted"),
                AttributeKnowledge.blackBox(tree, 0, PRIOR).withTree(tree)).infer(targets(1, 0), new int[] {0, 1});
        assertArrayEquals(new double[] {0.8, 0.2}, r.posterior()[0], EPS);
        assertArrayEquals(new double[] {0, 1}, r.posterior()[1], EPS);
        // A tree that never tests s: every count is shared by the prior, so the posterior is the prior.
        DecisionTree flat = new FixedTree() {
            @Override
            public TreeNode root() {
                return new TreeNode.Split(1, new TreeNode.InCategories(Set.of(0)),
                        new TreeNode.Leaf(1, new double[] {0.2, 0.8}, new int[] {2, 8}),
                        new TreeNode.Leaf(0, new double[] {0.5, 0.5}, new int[] {5, 5}));
            }
        };
        AttributeInference f = make(WhiteBoxTree.NAME, Map.of("weight", "admitted"),
                AttributeKnowledge.blackBox(flat, 0, PRIOR).withTree(flat)).infer(targets(0), new int[] {1});
        assertArrayEquals(PRIOR, f.posterior()[0], EPS);
    }

    @Test
    void whiteBoxNeedsTheTree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> make(WhiteBoxTree.NAME, Map.of(), AttributeKnowledge.blackBox(new FixedTree(), 0, PRIOR)));
        assertTrue(e.getMessage().startsWith("tree"), e.getMessage());
    }

    /**
     * The mission's toy rule, label yes iff a + b + 2c >= 2, with c hidden: when a + b <= 1 the label
     * is c itself, so a faithful model gives c away; when a + b = 2 the label is yes whatever c is,
     * and the black-box estimator (on the CART tree that learnt the rule, a perfect model) answers
     * with the prior. Both estimators recover c wherever the label determines it. (Where it does
     * not, the white-box estimator weighs the leaves by size: the c=yes leaf holds every record
     * with c=yes, the c=no one only those with a=b=yes, so it answers yes. The paper's estimator
     * has that bias; the test does not pin it.)
     */
    @Test
    void bothEstimatorsRecoverTheHiddenBitExactlyWhereTheLabelDeterminesIt() {
        TabularData data = SyntheticTables.threeBinary(400, 11);
        int c = 2;
        double[] prior = data.marginal(c);
        CartTree tree = CartTree.train(data, CartTree.Config.defaults(5, 1));
        double[][] hidden = AttributeTargets.hide(data.records(), c);
        AttributeInference bb = make(BlackBoxMap.NAME, Map.of(), AttributeKnowledge.blackBox(tree, c, prior))
                .infer(hidden, data.labels());
        AttributeInference wb = make(WhiteBoxTree.NAME, Map.of(), AttributeKnowledge.blackBox(tree, c, prior)
                .withTree(tree)).infer(hidden, data.labels());
        int majority = prior[1] > prior[0] ? 1 : 0;
        for (int i = 0; i < data.size(); i++) {
            double[] r = data.record(i);
            if (r[0] + r[1] <= 1) {
                assertEquals((int) r[c], bb.inferred()[i], "black-box, record " + i);
                assertEquals((int) r[c], wb.inferred()[i], "white-box, record " + i);
            } else {
                assertEquals(majority, bb.inferred()[i], "black-box, record " + i);
            }
        }
    }

    @Test
    void theSensitiveValueMustBeHidden() {
        Stub model = new Stub(r -> 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> make(BlackBoxMap.NAME, Map.of(), AttributeKnowledge.blackBox(model, 0, PRIOR))
                        .infer(new double[][] {{1, 0}}, new int[] {1}));
        assertTrue(e.getMessage().contains("record 0, column s"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> make(BlackBoxMap.NAME, Map.of(), AttributeKnowledge.blackBox(model, 0, PRIOR))
                        .infer(targets(Double.NaN), new int[] {1}));
        assertTrue(missing.getMessage().contains("column a: unknown"), missing.getMessage());
    }

    @Test
    void knowledgeIsValidatedByName() {
        Stub model = new Stub(r -> 0.5);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AttributeKnowledge.blackBox(model, 0, new double[] {0.5, 0.6})).getMessage().startsWith("prior"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AttributeKnowledge.blackBox(model, 5, PRIOR)).getMessage().startsWith("sensitive"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AttributeKnowledge.blackBox(model, 0, PRIOR).withConfusion(new double[][] {{1}}))
                .getMessage().startsWith("confusion"));
    }

    @Test
    void scoresCountPrecisionAndRecallForThePositiveValue() {
        InferenceScores s = InferenceScores.of(new int[] {1, 1, 0, 0, 0}, new int[] {1, 0, 1, 0, 0}, 1);
        assertEquals(0.6, s.accuracy(), EPS);
        assertEquals(0.5, s.precision(), EPS);
        assertEquals(0.5, s.recall(), EPS);
        InferenceScores never = InferenceScores.of(new int[] {1, 0}, new int[] {0, 0}, 1);
        assertTrue(Double.isNaN(never.precision()), "no positive guess: precision undefined");
        assertEquals(0.0, never.recall(), EPS);
    }
}
