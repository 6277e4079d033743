package dev.mi4j.core.tabular;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One column of a table as a model sees it: a categorical column with its declared categories (a
 * record holds the category's index) or a numeric one (a record holds the value), and how a model
 * that needs numbers encodes it.
 *
 * <p>The encoding is declared with the column, not chosen by each model, so that every model of a
 * study sees the same inputs and the choice is recorded once, in the provenance
 * ({@link TabularEncoding#describe()}).
 *
 * @param name       short name, e.g. "cheated"
 * @param kind       categorical or numeric
 * @param categories the categories in declared order (ordinal encoding follows this order); empty for numeric
 * @param encoding   one-hot or ordinal for categorical columns, raw for numeric ones
 */
public record TabularColumn(String name, Kind kind, List<String> categories, Encoding encoding) {

    /** What a record's value in this column means. */
    public enum Kind { CATEGORICAL, NUMERIC }

    /**
     * How the value becomes model inputs: ONE_HOT gives one 0/1 input per category (nominal
     * categories such as a region), ORDINAL one input index/(k-1) in [0, 1] (ordered bands such as
     * age or income, so that a tree splits them by threshold), RAW the number itself (numeric).
     */
    public enum Encoding { ONE_HOT, ORDINAL, RAW }

    public TabularColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(encoding, "encoding");
        categories = categories == null ? List.of() : List.copyOf(categories);
        if (kind == Kind.CATEGORICAL) {
            if (categories.size() < 2) {
                throw new IllegalArgumentException(name + ": a categorical column needs at least 2 categories, got "
                        + categories);
            }
            if (categories.stream().distinct().count() != categories.size()) {
                throw new IllegalArgumentException(name + ": categories must be distinct, got " + categories);
            }
            if (encoding == Encoding.RAW) {
                throw new IllegalArgumentException(name + ": a categorical column is encoded one-hot or ordinal, not raw");
            }
        } else {
            if (!categories.isEmpty()) {
                throw new IllegalArgumentException(name + ": a numeric column has no categories");
            }
            if (encoding != Encoding.RAW) {
                throw new IllegalArgumentException(name + ": a numeric column is encoded raw");
            }
        }
    }

    /** A categorical column, one-hot encoded. */
    public static TabularColumn nominal(String name, List<String> categories) {
        return new TabularColumn(name, Kind.CATEGORICAL, categories, Encoding.ONE_HOT);
    }

    /** A categorical column whose categories are ordered, ordinal encoded. */
    public static TabularColumn ordinal(String name, List<String> categories) {
        return new TabularColumn(name, Kind.CATEGORICAL, categories, Encoding.ORDINAL);
    }

    /** A numeric column. */
    public static TabularColumn numeric(String name) {
        return new TabularColumn(name, Kind.NUMERIC, List.of(), Encoding.RAW);
    }

    public boolean categorical() {
        return kind == Kind.CATEGORICAL;
    }

    /** Number of categories (0 for numeric). */
    public int cardinality() {
        return categories.size();
    }

    /** Index of {@code category}, or -1. */
    public int indexOf(String category) {
        return categories.indexOf(category);
    }

    /** The category of index {@code value}, or the number as text for a numeric column. */
    public String label(double value) {
        if (Double.isNaN(value)) {
            return "?";
        }
        return categorical() ? categories.get((int) value) : String.format(Locale.ROOT, "%s", value);
    }

    /**
     * Whether {@code value} is a valid value of this column: a category index for a categorical
     * column, a finite number for a numeric one. NaN (unknown) is not valid here.
     */
    public boolean accepts(double value) {
        if (categorical()) {
            return value >= 0 && value < categories.size() && value == Math.rint(value);
        }
        return Double.isFinite(value);
    }
}
