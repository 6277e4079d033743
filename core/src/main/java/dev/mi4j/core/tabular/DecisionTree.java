package dev.mi4j.core.tabular;

/**
 * A decision tree whose structure can be read: the white-box view of CCS 2015 Section 4, where
 * the attacker has the tree with the training counts at its leaves (as ML services publish it),
 * besides the black-box predictions every {@link TabularClassifier} gives.
 */
public interface DecisionTree extends TabularClassifier {

    /** The root, in column terms ({@link TreeNode}); leaves carry the training counts. */
    TreeNode root();

    /** The leaf a complete record reaches (not a query: the white-box attacker evaluates the tree itself). */
    default TreeNode.Leaf leaf(double[] record) {
        return TreeNode.leaf(root(), record);
    }
}
