package dev.mi4j.core.tabular;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A labelled table in memory: records over a {@link TabularSchema}, one class label per record,
 * a stable id per record (e.g. the survey's respondent id) and what reading it did (source,
 * manifest, rows dropped for missing values, encodings), for provenance. Immutable: the arrays
 * are copied in and out.
 *
 * @param name       dataset name, e.g. "steak-survey"
 * @param schema     the feature columns
 * @param label      the label column (categorical); classes are its categories
 * @param records    one row per record, values as {@link TabularSchema} says
 * @param labels     class index per record
 * @param ids        one id per record
 * @param provenance how the table was read (insertion-ordered, JSON-friendly)
 */
public record TabularData(String name, TabularSchema schema, TabularColumn label, double[][] records, int[] labels,
                          List<String> ids, Map<String, Object> provenance) {

    public TabularData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(label, "label");
        if (!label.categorical()) {
            throw new IllegalArgumentException("label: " + label.name() + " must be categorical");
        }
        if (records == null || labels == null || ids == null || records.length != labels.length
                || ids.size() != labels.length) {
            throw new IllegalArgumentException("records, labels and ids: must be given, one per record");
        }
        double[][] copy = new double[records.length][];
        for (int i = 0; i < records.length; i++) {
            schema.check(records[i], i);
            copy[i] = records[i].clone();
            if (labels[i] < 0 || labels[i] >= label.cardinality()) {
                throw new IllegalArgumentException("record " + i + ": label " + labels[i] + " outside [0, "
                        + label.cardinality() + ")");
            }
        }
        records = copy;
        labels = labels.clone();
        ids = List.copyOf(ids);
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    public int size() {
        return labels.length;
    }

    public int numClasses() {
        return label.cardinality();
    }

    public List<String> classes() {
        return label.categories();
    }

    @Override
    public double[][] records() {
        double[][] r = new double[records.length][];
        for (int i = 0; i < r.length; i++) {
            r[i] = records[i].clone();
        }
        return r;
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Record {@code i} (a copy). */
    public double[] record(int i) {
        return records[i].clone();
    }

    public int label(int i) {
        return labels[i];
    }

    /** The records at {@code indices}, in that order, with {@code what} added to the provenance under "subset". */
    public TabularData subset(int[] indices, String what) {
        double[][] r = new double[indices.length][];
        int[] l = new int[indices.length];
        List<String> id = new ArrayList<>(indices.length);
        for (int k = 0; k < indices.length; k++) {
            r[k] = records[indices[k]];
            l[k] = labels[indices[k]];
            id.add(ids.get(indices[k]));
        }
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("subset", what);
        return new TabularData(name, schema, label, r, l, id, p);
    }

    /**
     * The empirical distribution of categorical column {@code column} over these records: what an
     * attacker who knows the population's marginals knows (Fredrikson et al. give the attacker the
     * training data's marginals).
     */
    public double[] marginal(int column) {
        TabularColumn c = schema.column(column);
        if (!c.categorical()) {
            throw new IllegalArgumentException(c.name() + ": marginals are for categorical columns");
        }
        double[] m = new double[c.cardinality()];
        for (double[] r : records) {
            m[(int) r[column]]++;
        }
        for (int k = 0; k < m.length; k++) {
            m[k] /= Math.max(1, records.length);
        }
        return m;
    }

    /** Each record's category index in categorical column {@code column} (e.g. the truth an attribute attack is scored on). */
    public int[] categoryIndices(int column) {
        if (!schema.column(column).categorical()) {
            throw new IllegalArgumentException(schema.column(column).name() + ": not a categorical column");
        }
        int[] v = new int[records.length];
        for (int i = 0; i < records.length; i++) {
            v[i] = (int) records[i][column];
        }
        return v;
    }

    /** Records per class. */
    public int[] classCounts() {
        int[] c = new int[numClasses()];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }
}
