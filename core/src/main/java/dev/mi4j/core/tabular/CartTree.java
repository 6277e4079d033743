package dev.mi4j.core.tabular;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.Entropy;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A CART decision tree over records, trained by Oracle Tribuo's {@code CARTClassificationTrainer}
 * (Apache-2.0) on the records' {@link TabularEncoding} (one-hot inputs {@code col=category},
 * ordinal and numeric inputs by name): the tree target of CCS 2015 Section 4, whose authors
 * inverted BigML's trees.
 *
 * <p>Predictions are Tribuo's own ({@link #predict}: the leaf's class distribution). The white-box
 * view ({@link #root()}) is the same tree read back into column terms: a one-hot split
 * {@code col=c <= 0.5} becomes "col is not c", an ordinal split a set of bands, and each leaf
 * carries the number of training records of each class that reached it, counted by routing the
 * training records through Tribuo's split rule ({@code value > split} goes right). The tests check
 * that the read-back tree predicts exactly what Tribuo predicts.
 */
public final class CartTree implements DecisionTree {

    /** The split criterion. */
    public enum Impurity { GINI, ENTROPY }

    /**
     * How the tree is grown.
     *
     * @param maxDepth            deepest split level (>= 1)
     * @param minChildWeight      fewest training records in a child for a split to be kept (> 0)
     * @param minImpurityDecrease smallest impurity decrease for a split (>= 0)
     * @param impurity            split criterion
     * @param seed                Tribuo's seed (every feature is considered at every split, so it
     *                            changes nothing today; recorded so that it can)
     */
    public record Config(int maxDepth, double minChildWeight, double minImpurityDecrease, Impurity impurity, long seed) {

        public Config {
            if (maxDepth < 1) {
                throw new IllegalArgumentException("maxDepth: must be >= 1, got " + maxDepth);
            }
            if (!(minChildWeight > 0) || Double.isInfinite(minChildWeight)) {
                throw new IllegalArgumentException("minChildWeight: must be > 0, got " + minChildWeight);
            }
            if (!(minImpurityDecrease >= 0) || Double.isInfinite(minImpurityDecrease)) {
                throw new IllegalArgumentException("minImpurityDecrease: must be >= 0, got " + minImpurityDecrease);
            }
            if (impurity == null) {
                throw new IllegalArgumentException("impurity: must be gini or entropy");
            }
        }

        /** Tribuo's defaults but for the depth: Gini, children of at least 5 records, no impurity floor. */
        public static Config defaults(int maxDepth, long seed) {
            return new Config(maxDepth, 5, 0, Impurity.GINI, seed);
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("maxDepth", maxDepth);
            m.put("minChildWeight", minChildWeight);
            m.put("minImpurityDecrease", minImpurityDecrease);
            m.put("impurity", impurity.name().toLowerCase(Locale.ROOT));
            m.put("seed", seed);
            return m;
        }
    }

    private static final LabelFactory LABELS = new LabelFactory();

    private final TreeModel<Label> model;
    private final TabularEncoding encoding;
    private final List<String> classes;
    private final TreeNode root;
    private final int depth;
    private final int leaves;
    private long queries;

    private CartTree(TreeModel<Label> model, TabularEncoding encoding, List<String> classes, TreeNode root) {
        this.model = model;
        this.encoding = encoding;
        this.classes = List.copyOf(classes);
        this.root = root;
        this.depth = depth(root);
        this.leaves = countLeaves(root);
    }

    /** Trains a tree on every record of {@code train}. */
    @SuppressWarnings("unchecked")
    public static CartTree train(TabularData train, Config cfg) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("train: no records in " + train.name());
        }
        TabularEncoding enc = new TabularEncoding(train.schema());
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance(train.name(), LABELS), LABELS);
        String[] names = enc.inputNames().toArray(new String[0]);
        double[][] x = new double[train.size()][];
        for (int i = 0; i < train.size(); i++) {
            x[i] = enc.encode(train.record(i));
            ds.add(new ArrayExample<>(new Label(train.classes().get(train.label(i))), names, x[i]));
        }
        CARTClassificationTrainer trainer = new CARTClassificationTrainer(cfg.maxDepth(), (float) cfg.minChildWeight(),
                (float) cfg.minImpurityDecrease(), 1.0f,
                cfg.impurity() == Impurity.GINI ? new GiniIndex() : new Entropy(), cfg.seed());
        TreeModel<Label> model = (TreeModel<Label>) trainer.train(ds);
        Map<String, Integer> inputIndex = new HashMap<>();
        for (int k = 0; k < names.length; k++) {
            inputIndex.put(names[k], k);
        }
        // Training counts per Tribuo leaf, by Tribuo's own routing rule on the encoded inputs.
        Map<Node<Label>, int[]> counts = new IdentityHashMap<>();
        for (int i = 0; i < x.length; i++) {
            Node<Label> n = model.getRoot();
            while (!n.isLeaf()) {
                SplitNode<Label> s = (SplitNode<Label>) n;
                double v = x[i][inputIndex.get(model.getFeatureIDMap().get(s.getFeatureID()).getName())];
                n = v > s.splitValue() ? s.getGreaterThan() : s.getLessThanOrEqual();
            }
            counts.computeIfAbsent(n, k -> new int[train.numClasses()])[train.label(i)]++;
        }
        TreeNode root = convert(model, model.getRoot(), enc, inputIndex, train.classes(), counts);
        return new CartTree(model, enc, train.classes(), root);
    }

    private static TreeNode convert(TreeModel<Label> model, Node<Label> node, TabularEncoding enc,
                                    Map<String, Integer> inputIndex, List<String> classes, Map<Node<Label>, int[]> counts) {
        if (node.isLeaf()) {
            LeafNode<Label> leaf = (LeafNode<Label>) node;
            double[] scores = new double[classes.size()];
            for (Map.Entry<String, Label> e : leaf.getDistribution().entrySet()) {
                scores[classes.indexOf(e.getKey())] = e.getValue().getScore();
            }
            int[] c = counts.getOrDefault(node, new int[classes.size()]);
            return new TreeNode.Leaf(classes.indexOf(leaf.getOutput().getLabel()), scores, c);
        }
        SplitNode<Label> s = (SplitNode<Label>) node;
        String input = model.getFeatureIDMap().get(s.getFeatureID()).getName();
        int in = inputIndex.get(input);
        int column = columnOf(enc, in);
        TabularColumn col = enc.schema().column(column);
        double t = s.splitValue();
        TreeNode.Test test = switch (col.encoding()) {
            case ONE_HOT -> {
                int cat = in - enc.offset(column);
                Set<Integer> others = new TreeSet<>();
                for (int k = 0; k < col.cardinality(); k++) {
                    // the input is 1 for cat, 0 for the others: "<= t" holds for the others (t in (0, 1))
                    if ((k == cat ? 1.0 : 0.0) <= t) {
                        others.add(k);
                    }
                }
                yield new TreeNode.InCategories(others);
            }
            case ORDINAL -> {
                Set<Integer> low = new TreeSet<>();
                for (int k = 0; k < col.cardinality(); k++) {
                    if ((double) k / (col.cardinality() - 1) <= t) {
                        low.add(k);
                    }
                }
                yield new TreeNode.InCategories(low);
            }
            case RAW -> new TreeNode.AtMost(t);
        };
        return new TreeNode.Split(column, test,
                convert(model, s.getLessThanOrEqual(), enc, inputIndex, classes, counts),
                convert(model, s.getGreaterThan(), enc, inputIndex, classes, counts));
    }

    private static int columnOf(TabularEncoding enc, int input) {
        for (int j = enc.schema().size() - 1; j >= 0; j--) {
            if (enc.offset(j) <= input) {
                return j;
            }
        }
        throw new IllegalStateException("input " + input);
    }

    private static int depth(TreeNode n) {
        return n instanceof TreeNode.Split s ? 1 + Math.max(depth(s.whenTrue()), depth(s.whenFalse())) : 0;
    }

    private static int countLeaves(TreeNode n) {
        return n instanceof TreeNode.Split s ? countLeaves(s.whenTrue()) + countLeaves(s.whenFalse()) : 1;
    }

    @Override
    public TabularSchema schema() {
        return encoding.schema();
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    /** Tribuo's class scores (the reached leaf's training distribution). */
    @Override
    public INDArray predict(double[][] records) {
        String[] names = encoding.inputNames().toArray(new String[0]);
        double[][] out = new double[records.length][classes.size()];
        for (int i = 0; i < records.length; i++) {
            encoding.schema().check(records[i], i);
            Prediction<Label> p = model.predict(new ArrayExample<>(LABELS.getUnknownOutput(), names,
                    encoding.encode(records[i])));
            for (Map.Entry<String, Label> e : p.getOutputScores().entrySet()) {
                out[i][classes.indexOf(e.getKey())] = e.getValue().getScore();
            }
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

    /** Split levels of the deepest leaf. */
    public int depth() {
        return depth;
    }

    public int leafCount() {
        return leaves;
    }

    /** One line: "CART (Tribuo 4.3.2), depth 7, 31 leaves". */
    public String describe() {
        return "CART decision tree (Tribuo " + org.tribuo.Tribuo.VERSION + "), depth " + depth + ", " + leaves + " leaves";
    }

    /** The split tests along the way to every leaf, for reading a small tree (tests, notebooks). */
    public List<String> paths() {
        List<String> out = new ArrayList<>();
        paths(root, "", out);
        return out;
    }

    private void paths(TreeNode n, String prefix, List<String> out) {
        if (n instanceof TreeNode.Leaf l) {
            out.add((prefix.isEmpty() ? "(root)" : prefix) + " -> " + classes.get(l.predicted()) + " "
                    + java.util.Arrays.toString(l.counts()));
            return;
        }
        TreeNode.Split s = (TreeNode.Split) n;
        TabularColumn c = schema().column(s.column());
        String test = s.test() instanceof TreeNode.InCategories in
                ? c.name() + " in " + in.categories().stream().sorted().map(c.categories()::get).toList()
                : c.name() + " <= " + ((TreeNode.AtMost) s.test()).threshold();
        paths(s.whenTrue(), prefix + (prefix.isEmpty() ? "" : " & ") + test, out);
        paths(s.whenFalse(), prefix + (prefix.isEmpty() ? "" : " & ") + "not " + test, out);
    }
}
