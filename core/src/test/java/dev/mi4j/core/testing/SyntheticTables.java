package dev.mi4j.core.testing;

import dev.mi4j.core.tabular.TabularColumn;
import dev.mi4j.core.tabular.TabularData;
import dev.mi4j.core.tabular.TabularSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small seeded tables whose structure the tests know. */
public final class SyntheticTables {

    private SyntheticTables() {
    }

    /**
     * Three columns: region (nominal: north, south, east), band (ordinal: low < mid < high < top),
     * score (numeric in [0, 1)); label "yes" when region is south, or when band is high or top,
     * else "no"; every value drawn uniformly with {@code seed}.
     */
    public static TabularData mixed(int n, long seed) {
        TabularSchema schema = new TabularSchema(List.of(
                TabularColumn.nominal("region", List.of("north", "south", "east")),
                TabularColumn.ordinal("band", List.of("low", "mid", "high", "top")),
                TabularColumn.numeric("score")));
        Random r = new Random(seed);
        double[][] x = new double[n][];
        int[] y = new int[n];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {r.nextInt(3), r.nextInt(4), r.nextDouble()};
            y[i] = x[i][0] == 1 || x[i][1] >= 2 ? 1 : 0;
            ids.add("r" + i);
        }
        return new TabularData("mixed", schema, TabularColumn.nominal("label", List.of("no", "yes")), x, y, ids,
                Map.of("source", "SyntheticTables.mixed(" + n + ", " + seed + ")"));
    }

    /**
     * The mission's toy example: three binary features a, b, c (nominal no/yes) and label
     * "yes" exactly when a + b + 2c >= 2 (so c, the hidden one in the notebook, weighs most);
     * every value drawn uniformly with {@code seed}.
     */
    public static TabularData threeBinary(int n, long seed) {
        TabularSchema schema = new TabularSchema(List.of(
                TabularColumn.nominal("a", List.of("no", "yes")),
                TabularColumn.nominal("b", List.of("no", "yes")),
                TabularColumn.nominal("c", List.of("no", "yes"))));
        Random r = new Random(seed);
        double[][] x = new double[n][];
        int[] y = new int[n];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {r.nextInt(2), r.nextInt(2), r.nextInt(2)};
            y[i] = x[i][0] + x[i][1] + 2 * x[i][2] >= 2 ? 1 : 0;
            ids.add("r" + i);
        }
        return new TabularData("three-binary", schema, TabularColumn.nominal("label", List.of("no", "yes")), x, y,
                ids, Map.of("source", "SyntheticTables.threeBinary(" + n + ", " + seed + ")"));
    }
}
