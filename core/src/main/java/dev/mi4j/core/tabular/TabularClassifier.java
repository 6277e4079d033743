package dev.mi4j.core.tabular;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The black-box view of a classifier over records, as a prediction API gives it: the client sends
 * complete records (every feature, as {@link TabularSchema} says) and receives one score vector
 * per record. This is what a tabular attack (attribute inference) queries; it never sees how the
 * model encodes its inputs or how it was trained.
 *
 * <p>Every record sent is one query; implementations count them, since query cost is part of what
 * an attack reports.
 */
public interface TabularClassifier {

    /** The feature columns a record must have, in order. */
    TabularSchema schema();

    /** Class names, indexed by class. */
    List<String> classes();

    default int numClasses() {
        return classes().size();
    }

    /**
     * Class scores for a batch of complete records.
     *
     * @param records one row per record, every value valid for its column (no NaN)
     * @return [n, numClasses] scores: probabilities, unless an output policy changed them
     * @throws IllegalArgumentException naming the record and column of an invalid value
     */
    INDArray predict(double[][] records);

    /** Records sent through {@link #predict} since creation or the last reset. */
    long queryCount();

    void resetQueryCount();
}
