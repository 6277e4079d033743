package dev.mi4j.core.tabular;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The input columns of a tabular model, in record order. A record is a {@code double[]} with one
 * value per column: a category index for a categorical column, the number for a numeric one, and
 * NaN where the value is unknown (only an attacker's partial record has those; a model is never
 * asked about one).
 *
 * @param columns the feature columns, names distinct
 */
public record TabularSchema(List<TabularColumn> columns) {

    public TabularSchema {
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columns: a schema needs at least one column");
        }
        Set<String> names = new HashSet<>();
        for (TabularColumn c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("columns: name " + c.name() + " appears twice");
            }
        }
    }

    public int size() {
        return columns.size();
    }

    public TabularColumn column(int i) {
        return columns.get(i);
    }

    /**
     * Index of the column called {@code name}.
     *
     * @throws IllegalArgumentException naming the unknown column and listing the known ones
     */
    public int index(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + ": no such column (known: " + names() + ")");
    }

    public List<String> names() {
        List<String> n = new ArrayList<>();
        columns.forEach(c -> n.add(c.name()));
        return n;
    }

    /**
     * Checks that {@code record} has one valid value per column.
     *
     * @throws IllegalArgumentException naming the record's position and the column
     */
    public void check(double[] record, int position) {
        if (record == null || record.length != columns.size()) {
            throw new IllegalArgumentException("record " + position + ": expected " + columns.size() + " values, got "
                    + (record == null ? "none" : record.length));
        }
        for (int j = 0; j < record.length; j++) {
            if (!columns.get(j).accepts(record[j])) {
                throw new IllegalArgumentException("record " + position + ", column " + columns.get(j).name()
                        + ": invalid value " + record[j]);
            }
        }
    }
}
