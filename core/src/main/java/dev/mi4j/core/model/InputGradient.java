package dev.mi4j.core.model;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Result of one forward/backward pass for a batch of images and target labels: cost [n]
 * (objective value per image), probabilities [n, classes] (softmax output per image) and
 * gradient [n, c, h, w] (d cost / d image per image, not averaged over the batch).
 *
 * <p>Cost and probabilities are in the model's data type. A model that computes them in double
 * on the Java side ({@link #ofValues}) hands them over as arrays: {@link #costValues()} and
 * {@link #labelProbabilities} read them rounded to that type without any ND4J call (an attack
 * step reads them every iteration; creating and casting two small ND4J arrays cost as much as
 * the softmax model's bias add and update together, BENCHMARKS.md), and {@link #cost()} and
 * {@link #probabilities()} are made on first use.
 */
public final class InputGradient {

    private INDArray cost;
    private INDArray probabilities;
    private final INDArray gradient;
    private final double[] costs;           // non-null: made by ofValues, in double
    private final double[][] probabilityRows;
    private final DataType type;

    /** From ND4J arrays: cost [n], probabilities [n, classes], gradient [n, c, h, w]. */
    public InputGradient(INDArray cost, INDArray probabilities, INDArray gradient) {
        this.cost = cost;
        this.probabilities = probabilities;
        this.gradient = gradient;
        this.costs = null;
        this.probabilityRows = null;
        this.type = null;
    }

    private InputGradient(double[] costs, double[][] probabilityRows, INDArray gradient, DataType type) {
        this.costs = costs;
        this.probabilityRows = probabilityRows;
        this.gradient = gradient;
        this.type = type;
    }

    /**
     * From values computed in double: they are the model's outputs rounded to {@code type}, as
     * {@code Nd4j.createFromArray(cost).castTo(type)} would give them.
     */
    public static InputGradient ofValues(double[] cost, double[][] probabilities, INDArray gradient, DataType type) {
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(type, "type");
        if (cost.length != probabilities.length) {
            throw new IllegalArgumentException("cost has " + cost.length + " rows, probabilities " + probabilities.length);
        }
        return new InputGradient(cost, probabilities, gradient, type);
    }

    /** [n] objective value per image, in the model's data type. */
    public synchronized INDArray cost() {
        if (cost == null) {
            cost = Nd4j.createFromArray(costs).castTo(type);
        }
        return cost;
    }

    /** [n, classes] softmax output per image (p_label is read from here), in the model's data type. */
    public synchronized INDArray probabilities() {
        if (probabilities == null) {
            probabilities = Nd4j.create(probabilityRows).castTo(type);
        }
        return probabilities;
    }

    /** [n, c, h, w] d cost / d image, per image. */
    public INDArray gradient() {
        return gradient;
    }

    /** The same cost and probabilities with another gradient (e.g. copied into a caller's buffer). */
    public InputGradient withGradient(INDArray other) {
        return costs != null ? new InputGradient(costs, probabilityRows, other, type)
                : new InputGradient(cost, probabilities, other);
    }

    /**
     * True when cost and probabilities are both there for n images: cost [n], probabilities
     * [n, classes]. Checks values-backed results without making their ND4J arrays.
     */
    public boolean hasRows(long n) {
        if (costs != null) {
            return costs.length == n;
        }
        return cost != null && probabilities != null && cost.length() == n && probabilities.rank() == 2
                && probabilities.size(0) == n;
    }

    /** The shapes of cost, probabilities and gradient, for error messages. */
    public String shapes() {
        String c = costs != null ? "[" + costs.length + "]" : cost == null ? "null" : java.util.Arrays.toString(cost.shape());
        String p = probabilityRows != null
                ? "[" + probabilityRows.length + ", " + (probabilityRows.length == 0 ? 0 : probabilityRows[0].length) + "]"
                : probabilities == null ? "null" : java.util.Arrays.toString(probabilities.shape());
        String g = gradient == null ? "null" : java.util.Arrays.toString(gradient.shape());
        return "cost " + c + ", probabilities " + p + ", gradient " + g;
    }

    /** The cost per image as doubles, each the value of {@link #cost()} (in the model's data type). */
    public double[] costValues() {
        if (costs != null && roundsInJava(type)) {
            double[] r = new double[costs.length];
            for (int k = 0; k < r.length; k++) {
                r[k] = rounded(costs[k]);
            }
            return r;
        }
        INDArray c = cost();
        return c.castTo(DataType.DOUBLE).reshape(c.length()).toDoubleVector();
    }

    /** probabilities[k, labels[k]] for each row k, each the value {@link #probabilities()} holds. */
    public double[] labelProbabilities(int[] labels) {
        if (probabilityRows != null && roundsInJava(type)) {
            double[] r = new double[labels.length];
            for (int k = 0; k < r.length; k++) {
                r[k] = rounded(probabilityRows[k][labels[k]]);
            }
            return r;
        }
        return NetworkClassifier.labelProbabilities(probabilities(), labels);
    }

    private static boolean roundsInJava(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE;
    }

    /** v rounded to the data type (round to nearest, ties to even: ND4J's cast and Java's agree). */
    private double rounded(double v) {
        return type == DataType.FLOAT ? (double) (float) v : v;
    }

    @Override
    public String toString() {
        return "InputGradient[" + shapes() + "]";
    }
}
