package dev.mi4j.core.eval;

import java.util.List;

/**
 * How a classifier did on a labelled set.
 *
 * @param n                 number of images
 * @param accuracy          top-1 accuracy
 * @param top5Accuracy      share of images whose label is among the 5 most probable classes
 * @param perClassAccuracy  top-1 accuracy per class (NaN for a class with no images)
 * @param confusion         confusion[true][predicted] counts
 * @param topConfusions     the most frequent off-diagonal confusions, most frequent first
 */
public record EvaluationReport(int n, double accuracy, double top5Accuracy, double[] perClassAccuracy,
                               int[][] confusion, List<Confusion> topConfusions) {

    /** One kind of mistake: images of {@code trueName} predicted as {@code predictedName}. */
    public record Confusion(String trueName, String predictedName, int count) {
    }
}
