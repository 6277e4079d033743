package dev.mi4j.core.tabular;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A decision tree read back from a file ({@link TabularModelFile}): it predicts by walking its
 * {@link TreeNode}s and releasing the reached leaf's scores, which is what the tree that was saved
 * released ({@link CartTree} returns Tribuo's leaf distribution, the same scores; a test checks it
 * on every record of the survey). No library model is rebuilt, so a tree from anywhere that can be
 * written in this form can be audited.
 */
public final class StoredTree implements DecisionTree {

    private final TabularSchema schema;
    private final List<String> classes;
    private final TreeNode root;
    private long queries;

    public StoredTree(TabularSchema schema, List<String> classes, TreeNode root) {
        this.schema = schema;
        this.classes = List.copyOf(classes);
        this.root = root;
    }

    @Override
    public TabularSchema schema() {
        return schema;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    /** The reached leaf's scores. */
    @Override
    public INDArray predict(double[][] records) {
        double[][] out = new double[records.length][];
        for (int i = 0; i < records.length; i++) {
            schema.check(records[i], i);
            out[i] = leaf(records[i]).scores();
        }
        queries += records.length;
        return records.length == 0 ? Nd4j.create(DataType.DOUBLE, 0, classes.size()) : Nd4j.createFromArray(out);
    }

    @Override
    public long queryCount() {
        return queries;
    }

    @Override
    public void resetQueryCount() {
        queries = 0;
    }

    @Override
    public TreeNode root() {
        return root;
    }
}
