package dev.mi4j.core.tabular;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns records into the numbers a model reads, as each column declares
 * ({@link TabularColumn.Encoding}): one 0/1 input per category for one-hot columns, index/(k-1)
 * for ordinal ones, the value for numeric ones. The input names ({@code col=category} for one-hot
 * inputs, {@code col} otherwise) are shared by every model of a schema, the decision tree's
 * feature names included, so that a split can be read back as a test on a column.
 */
public final class TabularEncoding {

    private final TabularSchema schema;
    private final int[] offsets;
    private final List<String> names;

    public TabularEncoding(TabularSchema schema) {
        this.schema = schema;
        this.offsets = new int[schema.size() + 1];
        this.names = new ArrayList<>();
        for (int j = 0; j < schema.size(); j++) {
            TabularColumn c = schema.column(j);
            offsets[j] = names.size();
            if (c.encoding() == TabularColumn.Encoding.ONE_HOT) {
                for (String cat : c.categories()) {
                    names.add(c.name() + "=" + cat);
                }
            } else {
                names.add(c.name());
            }
        }
        offsets[schema.size()] = names.size();
    }

    public TabularSchema schema() {
        return schema;
    }

    /** Number of model inputs. */
    public int width() {
        return names.size();
    }

    /** The input names, in input order. */
    public List<String> inputNames() {
        return List.copyOf(names);
    }

    /** First input of column {@code j}. */
    public int offset(int column) {
        return offsets[column];
    }

    /**
     * The inputs of one record.
     *
     * @throws IllegalArgumentException for a record that does not fit the schema (an unknown value included)
     */
    public double[] encode(double[] record) {
        schema.check(record, 0);
        double[] x = new double[width()];
        encodeInto(record, x);
        return x;
    }

    /** The inputs of every record, [n, width] in float (what the networks train on). */
    public INDArray encode(double[][] records) {
        double[][] x = new double[records.length][];
        for (int i = 0; i < records.length; i++) {
            schema.check(records[i], i);
            x[i] = new double[width()];
            encodeInto(records[i], x[i]);
        }
        if (records.length == 0) {
            return Nd4j.create(DataType.FLOAT, 0, width());
        }
        return Nd4j.createFromArray(x).castTo(DataType.FLOAT);
    }

    private void encodeInto(double[] record, double[] x) {
        for (int j = 0; j < schema.size(); j++) {
            TabularColumn c = schema.column(j);
            double v = record[j];
            switch (c.encoding()) {
                case ONE_HOT -> x[offsets[j] + (int) v] = 1;
                case ORDINAL -> x[offsets[j]] = v / (c.cardinality() - 1);
                case RAW -> x[offsets[j]] = v;
                default -> throw new IllegalStateException("encoding " + c.encoding());
            }
        }
    }

    /** How each column is encoded, for provenance: {@code {age: "ordinal (4 bands, index/3)", ...}}. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (TabularColumn c : schema.columns()) {
            m.put(c.name(), switch (c.encoding()) {
                case ONE_HOT -> "one-hot (" + c.cardinality() + " inputs: " + String.join(", ", c.categories()) + ")";
                case ORDINAL -> "ordinal (index/" + (c.cardinality() - 1) + " in the order " + String.join(" < ", c.categories()) + ")";
                case RAW -> "numeric (raw value)";
            });
        }
        return m;
    }
}
