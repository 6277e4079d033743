package dev.mi4j.datasets;

import dev.mi4j.core.tabular.TabularColumn;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything mi4j knows about one named table: where it lives (folder, CSV file, manifest, download
 * sources; resolved by the same rules as the image datasets), its declared schema, and the
 * attribute-inference defaults: which feature is sensitive and which of its values is the one whose
 * precision and recall are reported.
 *
 * @param name             short name in configs, e.g. "steak-survey"
 * @param folderName       the dataset's folder inside a data directory
 * @param fileName         the CSV file inside that folder
 * @param description      one line for humans
 * @param manifestResource classpath resource with the sha256 of every file of the folder
 * @param sources          where to download it from, tried in order; may be empty
 * @param terms            licence / attribution note
 * @param columns          every column of the file, in file order
 * @param subHeader        the expected second line (the steak survey's "Response" row), skipped after
 *                         checking; null when the data starts on line 2
 * @param sensitive        name of the default sensitive feature (categorical)
 * @param positive         the sensitive value whose precision and recall are reported, e.g. "Yes"
 */
public record TabularDatasetSpec(String name, String folderName, String fileName, String description,
                                 String manifestResource, List<DownloadSource> sources, String terms,
                                 List<CsvColumn> columns, List<String> subHeader, String sensitive, String positive) {

    public TabularDatasetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folderName, "folderName");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(manifestResource, "manifestResource");
        sources = List.copyOf(sources);
        columns = List.copyOf(columns);
        subHeader = subHeader == null ? null : List.copyOf(subHeader);
        if (subHeader != null && subHeader.size() != columns.size()) {
            throw new IllegalArgumentException(name + ": subHeader has " + subHeader.size() + " fields for "
                    + columns.size() + " columns");
        }
        Set<String> names = new HashSet<>();
        int labels = 0;
        for (CsvColumn c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(name + ": column name " + c.name() + " declared twice");
            }
            if (c.role() == CsvColumn.Role.LABEL) {
                labels++;
            }
        }
        if (labels != 1) {
            throw new IllegalArgumentException(name + ": exactly one label column is needed, got " + labels);
        }
        CsvColumn s = column(columns, sensitive);
        if (s == null || s.role() != CsvColumn.Role.FEATURE || !s.column().categorical()) {
            throw new IllegalArgumentException(name + ": sensitive " + sensitive + " must be a categorical feature");
        }
        if (s.column().indexOf(positive) < 0) {
            throw new IllegalArgumentException(name + ": positive " + positive + " is not a category of " + sensitive);
        }
    }

    private static CsvColumn column(List<CsvColumn> columns, String name) {
        for (CsvColumn c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The declared column called {@code name}, or null. */
    public CsvColumn column(String name) {
        return column(columns, name);
    }

    /** The label column. */
    public TabularColumn label() {
        return columns.stream().filter(c -> c.role() == CsvColumn.Role.LABEL).findFirst().orElseThrow().column();
    }
}
