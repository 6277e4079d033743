package dev.mi4j.attacks.attribute;

import dev.mi4j.core.tabular.DecisionTree;
import dev.mi4j.core.tabular.TabularClassifier;
import dev.mi4j.core.tabular.TabularColumn;
import java.util.Objects;

/**
 * Everything an attribute-inference attacker has besides the target records' known features and
 * labels (the setting of Fredrikson et al. 2014 and CCS 2015 Section 4): the model as the API shows
 * it (through whatever output policy it applies), which column is sensitive, the marginal
 * distribution of that column (public statistics), and optionally the model's confusion matrix
 * (what a service publishes with a model that releases only labels) and the tree itself with its
 * training counts (the white-box setting). Never the training data.
 *
 * @param model     the attacker's view of the target (queries are counted there)
 * @param sensitive index of the sensitive column in the model's schema (categorical)
 * @param prior     the sensitive column's marginal distribution, one probability per category
 * @param confusion [true class][predicted class] counts or rates, or null when not published
 * @param tree      the tree with its counts for a white-box attacker, or null
 */
public record AttributeKnowledge(TabularClassifier model, int sensitive, double[] prior, double[][] confusion,
                                 DecisionTree tree) {

    /** Knowledge an attack can require ({@link AttributeAttackSpec#needs}). */
    public enum Need {
        /** The model's confusion matrix (label-only releases). */
        CONFUSION,
        /** The decision tree with training counts at its leaves (white-box). */
        TREE
    }

    public AttributeKnowledge {
        Objects.requireNonNull(model, "model");
        if (sensitive < 0 || sensitive >= model.schema().size()) {
            throw new IllegalArgumentException("sensitive: column " + sensitive + " outside the model's "
                    + model.schema().size() + " columns");
        }
        TabularColumn col = model.schema().column(sensitive);
        if (!col.categorical()) {
            throw new IllegalArgumentException("sensitive: column " + col.name() + " must be categorical");
        }
        if (prior == null || prior.length != col.cardinality()) {
            throw new IllegalArgumentException("prior: expected " + col.cardinality() + " probabilities (one per "
                    + col.name() + " category), got " + (prior == null ? "none" : prior.length));
        }
        double sum = 0;
        for (double p : prior) {
            if (!(p >= 0) || Double.isInfinite(p)) {
                throw new IllegalArgumentException("prior: probabilities must be finite and >= 0, got " + p);
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("prior: must sum to 1, got " + sum);
        }
        prior = prior.clone();
        if (confusion != null) {
            int k = model.numClasses();
            if (confusion.length != k) {
                throw new IllegalArgumentException("confusion: expected " + k + " rows (true classes), got " + confusion.length);
            }
            double[][] c = new double[k][];
            for (int t = 0; t < k; t++) {
                if (confusion[t] == null || confusion[t].length != k) {
                    throw new IllegalArgumentException("confusion: row " + t + " must have " + k + " entries");
                }
                for (double v : confusion[t]) {
                    if (!(v >= 0) || Double.isInfinite(v)) {
                        throw new IllegalArgumentException("confusion: entries must be finite and >= 0, got " + v);
                    }
                }
                c[t] = confusion[t].clone();
            }
            confusion = c;
        }
        if (tree != null && !tree.schema().equals(model.schema())) {
            throw new IllegalArgumentException("tree: its schema differs from the model's");
        }
    }

    /** A black-box attacker's knowledge: the model and the prior. */
    public static AttributeKnowledge blackBox(TabularClassifier model, int sensitive, double[] prior) {
        return new AttributeKnowledge(model, sensitive, prior, null, null);
    }

    public AttributeKnowledge withConfusion(double[][] c) {
        return new AttributeKnowledge(model, sensitive, prior, c, tree);
    }

    public AttributeKnowledge withTree(DecisionTree t) {
        return new AttributeKnowledge(model, sensitive, prior, confusion, t);
    }

    @Override
    public double[] prior() {
        return prior.clone();
    }

    /** Number of candidate values of the sensitive column. */
    public int candidates() {
        return prior.length;
    }

    /** The sensitive column. */
    public TabularColumn sensitiveColumn() {
        return model.schema().column(sensitive);
    }

    /**
     * {@code confusion[t][p]} for a {@link Need#CONFUSION} attack.
     *
     * @throws IllegalArgumentException when none was given
     */
    public double[][] requireConfusion() {
        if (confusion == null) {
            throw new IllegalArgumentException("confusion: this attack needs the model's confusion matrix");
        }
        double[][] c = new double[confusion.length][];
        for (int t = 0; t < c.length; t++) {
            c[t] = confusion[t].clone();
        }
        return c;
    }

    /** The tree for a {@link Need#TREE} attack, or an error naming it. */
    public DecisionTree requireTree() {
        if (tree == null) {
            throw new IllegalArgumentException("tree: this attack needs the decision tree with its training counts (white-box)");
        }
        return tree;
    }
}
