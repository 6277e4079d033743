package dev.mi4j.core.tabular;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A node of a decision tree, in the terms of the records it routes (columns and category
 * indices), not of a library's encoded inputs: what a white-box attacker of CCS 2015 Section 4
 * reads. A split sends a record to {@code whenTrue} when its value in {@code column} passes the
 * test; a leaf holds the class the tree outputs there, the scores it releases, and how many
 * training records of each class reached it (the "counts" of the white-box-with-counts setting;
 * ML services such as BigML publish them with the tree).
 */
public sealed interface TreeNode permits TreeNode.Split, TreeNode.Leaf {

    /** A test on one column's value. */
    sealed interface Test permits InCategories, AtMost {

        boolean holds(double value);
    }

    /** Passes when the category index is one of {@code categories}. */
    record InCategories(Set<Integer> categories) implements Test {

        public InCategories {
            categories = Set.copyOf(categories);
        }

        @Override
        public boolean holds(double value) {
            return categories.contains((int) value);
        }
    }

    /** Passes when the value is at most {@code threshold}. */
    record AtMost(double threshold) implements Test {

        @Override
        public boolean holds(double value) {
            return value <= threshold;
        }
    }

    /** An inner node. */
    record Split(int column, Test test, TreeNode whenTrue, TreeNode whenFalse) implements TreeNode {
    }

    /**
     * A leaf.
     *
     * @param predicted the class output here
     * @param scores    the class scores released here (the library's leaf distribution)
     * @param counts    training records of each class that reached this leaf
     */
    record Leaf(int predicted, double[] scores, int[] counts) implements TreeNode {

        public Leaf {
            scores = scores.clone();
            counts = counts.clone();
        }

        @Override
        public double[] scores() {
            return scores.clone();
        }

        @Override
        public int[] counts() {
            return counts.clone();
        }

        /** Training records that reached this leaf. */
        public int total() {
            int t = 0;
            for (int c : counts) {
                t += c;
            }
            return t;
        }

        public int count(int label) {
            return counts[label];
        }
    }

    /** The leaf a complete record reaches. */
    static Leaf leaf(TreeNode node, double[] record) {
        TreeNode n = node;
        while (n instanceof Split s) {
            n = s.test().holds(record[s.column()]) ? s.whenTrue() : s.whenFalse();
        }
        return (Leaf) n;
    }

    /**
     * Every leaf a partial record can reach: at a split on a column whose value is unknown (NaN),
     * both branches are followed. In tree order (true branch first).
     */
    static List<Leaf> reachable(TreeNode node, double[] partial) {
        List<Leaf> out = new ArrayList<>();
        collect(node, partial, out);
        return out;
    }

    private static void collect(TreeNode node, double[] partial, List<Leaf> out) {
        if (node instanceof Leaf l) {
            out.add(l);
            return;
        }
        Split s = (Split) node;
        double v = partial[s.column()];
        if (Double.isNaN(v) || s.test().holds(v)) {
            collect(s.whenTrue(), partial, out);
        }
        if (Double.isNaN(v) || !s.test().holds(v)) {
            collect(s.whenFalse(), partial, out);
        }
    }
}
