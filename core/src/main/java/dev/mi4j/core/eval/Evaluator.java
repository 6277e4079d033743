package dev.mi4j.core.eval;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.model.Classifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Accuracy, top-5 accuracy, per-class accuracy and confusions of a classifier on labelled images. */
public final class Evaluator {

    private static final int BATCH = 64;
    private static final int TOP_CONFUSIONS = 10;

    private Evaluator() {
    }

    public static EvaluationReport evaluate(Classifier model, LabeledImages data) {
        if (model == null || data == null) {
            throw new IllegalArgumentException("model and data must not be null");
        }
        if (model.numClasses() != data.numClasses()) {
            throw new IllegalArgumentException("data: " + data.name() + " has " + data.numClasses()
                    + " classes but the model predicts " + model.numClasses());
        }
        int k = data.numClasses();
        int n = data.size();
        int[][] confusion = new int[k][k];
        int top5 = 0;
        int[] labels = data.labels();
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            INDArray x = data.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            double[][] p = model.predict(x).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
            for (int i = from; i < to; i++) {
                double[] row = p[i - from];
                int label = labels[i];
                int above = 0; // classes strictly more probable than the label
                int argmax = 0;
                for (int j = 0; j < k; j++) {
                    if (row[j] > row[label]) {
                        above++;
                    }
                    if (row[j] > row[argmax]) {
                        argmax = j;
                    }
                }
                confusion[label][argmax]++;
                if (above < 5) {
                    top5++;
                }
            }
        }
        int correct = 0;
        double[] perClass = new double[k];
        List<EvaluationReport.Confusion> mistakes = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            int total = 0;
            for (int j = 0; j < k; j++) {
                total += confusion[t][j];
                if (j != t && confusion[t][j] > 0) {
                    mistakes.add(new EvaluationReport.Confusion(data.classNames().get(t), data.classNames().get(j),
                            confusion[t][j]));
                }
            }
            correct += confusion[t][t];
            perClass[t] = total == 0 ? Double.NaN : (double) confusion[t][t] / total;
        }
        mistakes.sort(Comparator.comparingInt(EvaluationReport.Confusion::count).reversed());
        return new EvaluationReport(n, n == 0 ? Double.NaN : (double) correct / n, n == 0 ? Double.NaN : (double) top5 / n,
                perClass, confusion, List.copyOf(mistakes.subList(0, Math.min(TOP_CONFUSIONS, mistakes.size()))));
    }
}
