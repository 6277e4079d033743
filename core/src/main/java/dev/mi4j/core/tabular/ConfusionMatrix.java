package dev.mi4j.core.tabular;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's confusion matrix on a table: {@code counts[true class][predicted class]}, the
 * predicted class being the highest score (ties to the lower class). What a service publishes
 * with a model (BigML shows it with every evaluation), and so what a label-only attribute
 * inference attacker may know.
 */
public final class ConfusionMatrix {

    private ConfusionMatrix() {
    }

    /** Counts over every record of {@code data} (its queries are counted by the model like any other). */
    public static double[][] of(TabularClassifier model, TabularData data) {
        int k = model.numClasses();
        double[][] c = new double[k][k];
        if (data.size() == 0) {
            return c;
        }
        INDArray p = model.predict(data.records());
        for (int i = 0; i < data.size(); i++) {
            double[] row = p.getRow(i).toDoubleVector();
            int best = 0;
            for (int j = 1; j < row.length; j++) {
                if (row[j] > row[best]) {
                    best = j;
                }
            }
            c[data.label(i)][best]++;
        }
        return c;
    }
}
