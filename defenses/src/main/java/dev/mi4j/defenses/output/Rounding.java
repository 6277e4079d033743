package dev.mi4j.defenses.output;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rounds each confidence to the nearest multiple of {@code r} (halves round up), the
 * countermeasure of Fredrikson et al. (CCS 2015), who used r in {0.001, 0.005, 0.01, 0.05, 0.1}.
 * Rows no longer sum to exactly 1. The result is piecewise constant in the input, which is why
 * finite-difference attacks see a zero gradient almost everywhere at coarse r.
 *
 * <p>Values are computed in double and cast to the input's data type, so in FLOAT a released
 * value is the float nearest to k * r.
 */
public final class Rounding implements OutputPolicy {

    private final double r;

    public Rounding(double r) {
        if (!(r > 0 && r <= 1)) {
            throw new IllegalArgumentException("round: r must be in (0, 1], got " + r);
        }
        this.r = r;
    }

    public double r() {
        return r;
    }

    @Override
    public INDArray apply(INDArray probabilities) {
        double[][] rows = Rows.of(probabilities);
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.floor(row[j] / r + 0.5) * r;
            }
        }
        return Rows.to(rows, probabilities.dataType());
    }

    @Override
    public String name() {
        return "round";
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("r", r);
        return p;
    }

    @Override
    public String spec() {
        return "round:" + r;
    }

    @Override
    public String toString() {
        return spec();
    }
}
