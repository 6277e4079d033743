package dev.mi4j.attacks.blackbox;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Estimates an input gradient from cost values at antithetic pairs of perturbed images
 * x + s v_j and x - s v_j, j = 1..pairs. The estimator decides the directions v_j and how the
 * cost differences combine into a gradient; {@link EstimatedGradientClassifier} decides how the
 * perturbed images are batched into queries, so estimators never call the model.
 *
 * <p>Estimators hold a seeded random stream that advances once per {@link #probe}: results are
 * determined by the seed and the sequence of calls. Not thread-safe.
 */
public interface GradientEstimator {

    /** Short name for result records: "fd" or "nes". */
    String name();

    /** Parameters by name, for result records (insertion-ordered). */
    Map<String, Object> params();

    /** Antithetic pairs per image for images of {@code dims} values: each image costs 2 * pairs queries. */
    int pairs(int dims);

    /** Draws the directions of one gradient estimate (one attack step) for images of {@code dims} values. */
    Probe probe(int dims, DataType type);

    /** The directions of one estimate, shared by all images of the step. */
    interface Probe {

        /** Number of antithetic pairs per image. */
        int pairs();

        /**
         * Writes perturbed copies of one image into {@code dest}: row r becomes
         * x + s v_(fromPair + r) when {@code plus}, else x - s v_(fromPair + r).
         *
         * @param image [1, dims], the unperturbed image, flattened in c order
         * @param dest  [toPair - fromPair, dims], overwritten
         */
        void perturb(INDArray image, boolean plus, int fromPair, int toPair, INDArray dest);

        /**
         * Combines cost differences into gradient estimates.
         *
         * @param differences [n][pairs]: c(x_i + s v_j) - c(x_i - s v_j)
         * @return [n, dims] estimated gradients in the given data type
         */
        INDArray combine(double[][] differences, DataType type);
    }
}
