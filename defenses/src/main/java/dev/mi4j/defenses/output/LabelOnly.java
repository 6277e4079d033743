package dev.mi4j.defenses.output;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Releases only the predicted label, as a one-hot row (ties go to the lower class index). */
public final class LabelOnly implements OutputPolicy {

    public static final LabelOnly INSTANCE = new LabelOnly();

    private LabelOnly() {
    }

    @Override
    public INDArray apply(INDArray probabilities) {
        double[][] rows = Rows.of(probabilities);
        for (double[] row : rows) {
            int best = 0;
            for (int j = 1; j < row.length; j++) {
                if (row[j] > row[best]) {
                    best = j;
                }
            }
            java.util.Arrays.fill(row, 0);
            if (row.length > 0) {
                row[best] = 1;
            }
        }
        return Rows.to(rows, probabilities.dataType());
    }

    @Override
    public String name() {
        return "label";
    }

    @Override
    public Map<String, Object> params() {
        return Map.of();
    }

    @Override
    public String spec() {
        return "label";
    }

    @Override
    public String toString() {
        return spec();
    }
}
