package dev.mi4j.defenses.output;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Releases only the k largest probabilities of each row, unchanged (not renormalised), and
 * zero for every other class, as an API that lists its top-k matches. Ties go to the lower
 * class index. k at or above the number of classes releases everything.
 */
public final class TopK implements OutputPolicy {

    private final int k;

    public TopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("topk: k must be >= 1, got " + k);
        }
        this.k = k;
    }

    public int k() {
        return k;
    }

    @Override
    public INDArray apply(INDArray probabilities) {
        double[][] rows = Rows.of(probabilities);
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            if (k >= row.length) {
                continue;
            }
            boolean[] keep = new boolean[row.length];
            for (int round = 0; round < k; round++) {
                int best = -1;
                for (int j = 0; j < row.length; j++) {
                    if (!keep[j] && (best < 0 || row[j] > row[best])) {
                        best = j;
                    }
                }
                keep[best] = true;
            }
            for (int j = 0; j < row.length; j++) {
                if (!keep[j]) {
                    row[j] = 0;
                }
            }
        }
        return Rows.to(rows, probabilities.dataType());
    }

    @Override
    public String name() {
        return "topk";
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("k", k);
        return p;
    }

    @Override
    public String spec() {
        return "topk:" + k;
    }

    @Override
    public String toString() {
        return spec();
    }
}
