package dev.mi4j.core.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.testing.SyntheticTables;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The Tribuo CART adapter: the read-back tree is Tribuo's tree, with true training counts. */
class CartTreeTest {

    private static final TabularData DATA = SyntheticTables.mixed(300, 3);

    @Test
    void readBackTreePredictsExactlyWhatTribuoPredicts() {
        CartTree tree = CartTree.train(DATA, CartTree.Config.defaults(6, 1));
        TabularData fresh = SyntheticTables.mixed(200, 99);
        INDArray p = tree.predict(fresh.records());
        assertEquals(200, tree.queryCount());
        for (int i = 0; i < fresh.size(); i++) {
            double[] expected = p.getRow(i).toDoubleVector();
            assertArrayEquals(expected, tree.leaf(fresh.record(i)).scores(), 1e-12, "record " + i);
        }
    }

    @Test
    void leafCountsAreTheTrainingRecordsThatReachThem() {
        CartTree tree = CartTree.train(DATA, CartTree.Config.defaults(6, 1));
        int total = 0;
        for (TreeNode.Leaf leaf : TreeNode.reachable(tree.root(), new double[] {Double.NaN, Double.NaN, Double.NaN})) {
            total += leaf.total();
            // Tribuo's leaf distribution is the class share of the training records there.
            for (int c = 0; c < 2; c++) {
                assertEquals(leaf.scores()[c], (double) leaf.count(c) / leaf.total(), 1e-6);
            }
        }
        assertEquals(DATA.size(), total, "every training record reaches exactly one leaf");
        // The label is a deterministic function of region and band: a deep enough tree is pure.
        assertEquals(1.0, TabularProvenance.accuracy(tree, DATA), 1e-12);
        assertTrue(tree.paths().stream().anyMatch(s -> s.contains("region in")), tree.paths().toString());
        assertTrue(tree.paths().stream().anyMatch(s -> s.contains("band in")), tree.paths().toString());
    }

    @Test
    void reachableFollowsBothBranchesOnlyAtUnknownColumns() {
        CartTree tree = CartTree.train(DATA, CartTree.Config.defaults(6, 1));
        double[] south = {1, Double.NaN, Double.NaN};
        List<TreeNode.Leaf> leaves = TreeNode.reachable(tree.root(), south);
        assertTrue(leaves.size() >= 1);
        for (TreeNode.Leaf l : leaves) {
            assertEquals(1, l.predicted(), "every leaf a southern record can reach says yes");
        }
        double[] complete = DATA.record(0);
        assertEquals(List.of(tree.leaf(complete)), TreeNode.reachable(tree.root(), complete));
    }

    @Test
    void sameSeedSameTree() {
        assertEquals(CartTree.train(DATA, CartTree.Config.defaults(4, 7)).paths(),
                CartTree.train(DATA, CartTree.Config.defaults(4, 7)).paths());
    }

    @Test
    void configRefusesBadValuesByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CartTree.Config.defaults(0, 1))
                .getMessage().startsWith("maxDepth"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new CartTree.Config(3, 0, 0, CartTree.Impurity.GINI, 1)).getMessage().startsWith("minChildWeight"));
    }

    @Test
    void predictRefusesAnIncompleteRecord() {
        CartTree tree = CartTree.train(DATA, CartTree.Config.defaults(3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tree.predict(new double[][] {{0, Double.NaN, 0.5}}));
        assertTrue(e.getMessage().contains("column band"), e.getMessage());
    }
}
