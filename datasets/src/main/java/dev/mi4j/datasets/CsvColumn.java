package dev.mi4j.datasets;

import dev.mi4j.core.tabular.TabularColumn;
import java.util.List;
import java.util.Objects;

/**
 * One declared column of a CSV table: the header text the file must have there, the short name
 * mi4j uses, its role, its type and categories, and what a missing (blank) value means. A file that
 * disagrees with its declaration (another header, a category not declared, a blank where blanks
 * are an error) is refused by {@link TabularCsvReader} with one line naming file, row and column,
 * rather than silently re-coded.
 *
 * @param header     the header text, exactly as in the file
 * @param name       short name in configs and results, e.g. "cheated"
 * @param role       what the column is for
 * @param column     type, categories and encoding (null for ID and IGNORE columns)
 * @param missing    what a blank value does (ignored for IGNORE columns)
 */
public record CsvColumn(String header, String name, Role role, TabularColumn column, Missing missing) {

    /** What a column is for. */
    public enum Role {
        /** A model input. */
        FEATURE,
        /** The class a model predicts (exactly one per table). */
        LABEL,
        /** A record id kept for traceability (e.g. a respondent id), not a model input. */
        ID,
        /** Read past: checked against the header only. */
        IGNORE
    }

    /** What a blank value in a column does. */
    public enum Missing {
        /** The row is left out; how many rows each column removed goes into the provenance. */
        DROP_ROW,
        /** A blank is refused as an error naming file, row and column. */
        ERROR
    }

    public CsvColumn {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(missing, "missing");
        if (role == Role.FEATURE || role == Role.LABEL) {
            Objects.requireNonNull(column, "column");
            if (!column.name().equals(name)) {
                throw new IllegalArgumentException(header + ": name " + name + " differs from its column's " + column.name());
            }
            if (role == Role.LABEL && !column.categorical()) {
                throw new IllegalArgumentException(name + ": a label column must be categorical");
            }
        }
    }

    /** A categorical feature with one-hot encoding. */
    public static CsvColumn nominal(String header, String name, List<String> categories, Missing missing) {
        return new CsvColumn(header, name, Role.FEATURE, TabularColumn.nominal(name, categories), missing);
    }

    /** A categorical feature whose categories are ordered (given from lowest to highest), ordinal encoding. */
    public static CsvColumn ordinal(String header, String name, List<String> categories, Missing missing) {
        return new CsvColumn(header, name, Role.FEATURE, TabularColumn.ordinal(name, categories), missing);
    }

    /** A numeric feature. */
    public static CsvColumn numeric(String header, String name, Missing missing) {
        return new CsvColumn(header, name, Role.FEATURE, TabularColumn.numeric(name), missing);
    }

    /** The label column. */
    public static CsvColumn label(String header, String name, List<String> categories, Missing missing) {
        return new CsvColumn(header, name, Role.LABEL, TabularColumn.nominal(name, categories), missing);
    }

    /** A record id; blank ids are an error. */
    public static CsvColumn id(String header, String name) {
        return new CsvColumn(header, name, Role.ID, null, Missing.ERROR);
    }

    /** A column that is read past. */
    public static CsvColumn ignore(String header, String name) {
        return new CsvColumn(header, name, Role.IGNORE, null, Missing.DROP_ROW);
    }
}
