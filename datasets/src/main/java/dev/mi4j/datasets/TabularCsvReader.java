package dev.mi4j.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.tabular.TabularColumn;
import dev.mi4j.core.tabular.TabularData;
import dev.mi4j.core.tabular.TabularEncoding;
import dev.mi4j.core.tabular.TabularSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a CSV table against its declared schema ({@link TabularDatasetSpec}) with Jackson's CSV
 * parser (RFC 4180 quoting: the steak survey's income bands hold commas inside quotes). The file
 * must agree with the declaration; anything else is refused with one line naming the file, the row
 * (1-based, the header being row 1) and the column (1-based, with its header), never re-coded:
 * <ul>
 *   <li>a header that differs from the declared one, or has another number of columns;</li>
 *   <li>a sub-header row (the steak survey's line 2, "Response" in every column) that differs from
 *       the declared one; when it matches it is skipped;</li>
 *   <li>a ragged row (fewer or more fields than the header);</li>
 *   <li>a value that is not a declared category, or not a number in a numeric column;</li>
 *   <li>a blank value in a column whose missing values are declared an error, or a repeated id.</li>
 * </ul>
 * Blank values (after trimming spaces) are missing; a column declared {@link CsvColumn.Missing#DROP_ROW}
 * leaves the row out, and the provenance counts, per column, the rows it removed (a row blank in
 * several columns is counted at the first). Values are matched to categories after trimming
 * surrounding spaces, otherwise exactly (case included).
 */
public final class TabularCsvReader {

    private TabularCsvReader() {
    }

    /**
     * Reads {@code file} as {@code spec} declares it.
     *
     * @param manifestSha256 the manifest the file was verified against (provenance), or null
     * @throws Mi4jException one line naming the file, row and column of the first problem
     */
    public static TabularData read(Path file, TabularDatasetSpec spec, String manifestSha256) {
        List<String[]> rows = parse(file);
        if (rows.isEmpty()) {
            throw new Mi4jException(file + ": empty file (expected a header row with " + spec.columns().size() + " columns)");
        }
        List<CsvColumn> cols = spec.columns();
        checkHeader(file, rows.get(0), cols);
        int first = 1;
        if (spec.subHeader() != null) {
            if (rows.size() < 2) {
                throw new Mi4jException(file + ": row 2: missing the sub-header row");
            }
            String[] sub = rows.get(1);
            checkWidth(file, 2, sub, cols);
            for (int j = 0; j < cols.size(); j++) {
                if (!sub[j].trim().equals(spec.subHeader().get(j))) {
                    throw new Mi4jException(file + ": row 2, column " + (j + 1) + " (" + cols.get(j).name()
                            + "): expected sub-header '" + spec.subHeader().get(j) + "', found '" + sub[j] + "'");
                }
            }
            first = 2;
        }
        List<TabularColumn> features = new ArrayList<>();
        int labelIdx = -1;
        int idIdx = -1;
        for (int j = 0; j < cols.size(); j++) {
            switch (cols.get(j).role()) {
                case FEATURE -> features.add(cols.get(j).column());
                case LABEL -> labelIdx = j;
                case ID -> idIdx = j;
                case IGNORE -> { }
                default -> throw new IllegalStateException("role " + cols.get(j).role());
            }
        }
        TabularSchema schema = new TabularSchema(features);
        List<double[]> records = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Set<String> seenIds = new HashSet<>();
        Map<String, Integer> dropped = new LinkedHashMap<>();
        for (int r = first; r < rows.size(); r++) {
            int rowNo = r + 1;
            String[] row = rows.get(r);
            checkWidth(file, rowNo, row, cols);
            double[] rec = new double[features.size()];
            int label = -1;
            String id = null;
            String blank = null;
            int f = 0;
            for (int j = 0; j < cols.size(); j++) {
                CsvColumn c = cols.get(j);
                String v = row[j].trim();
                if (c.role() == CsvColumn.Role.IGNORE) {
                    continue;
                }
                if (v.isEmpty()) {
                    if (c.missing() == CsvColumn.Missing.ERROR) {
                        throw new Mi4jException(where(file, rowNo, j, c) + ": missing value (declared an error for this column)");
                    }
                    if (blank == null) {
                        blank = c.name();
                    }
                    if (c.role() == CsvColumn.Role.FEATURE) {
                        rec[f++] = Double.NaN;
                    }
                    continue;
                }
                switch (c.role()) {
                    case ID -> {
                        if (!seenIds.add(v)) {
                            throw new Mi4jException(where(file, rowNo, j, c) + ": id '" + v + "' appears twice");
                        }
                        id = v;
                    }
                    case LABEL -> label = category(file, rowNo, j, c, v);
                    case FEATURE -> rec[f++] = c.column().categorical() ? category(file, rowNo, j, c, v)
                            : number(file, rowNo, j, c, v);
                    default -> { }
                }
            }
            if (blank != null) {
                dropped.merge(blank, 1, Integer::sum);
                continue;
            }
            records.add(rec);
            labels.add(label);
            ids.add(id != null ? id : "row" + rowNo);
        }
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("dataset", spec.name());
        prov.put("file", file.getFileName().toString());
        if (manifestSha256 != null) {
            prov.put("manifestSha256", manifestSha256);
        }
        prov.put("reader", "jackson-dataformat-csv, declared schema; blanks are missing values");
        prov.put("subHeader", spec.subHeader() == null ? "none" : "row 2 checked and skipped");
        prov.put("rowsInFile", rows.size() - first);
        prov.put("rowsKept", records.size());
        prov.put("rowsDroppedForMissing", dropped);
        prov.put("label", spec.label().name() + " (" + String.join(", ", spec.label().categories()) + ")");
        prov.put("encoding", new TabularEncoding(schema).describe());
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        return new TabularData(spec.name(), schema, spec.label(), records.toArray(new double[0][]), l, ids, prov);
    }

    private static List<String[]> parse(Path file) {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        List<String[]> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file);
             MappingIterator<String[]> it = mapper.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(in)) {
            while (it.hasNextValue()) {
                rows.add(it.nextValue());
            }
        } catch (CharacterCodingException e) {
            throw new Mi4jException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
        } catch (JsonProcessingException e) {
            throw new Mi4jException(file + ": row " + (rows.size() + 1) + ": malformed CSV: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new Mi4jException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!rows.isEmpty() && rows.get(0).length > 0 && rows.get(0)[0].startsWith("\uFEFF")) {
            rows.get(0)[0] = rows.get(0)[0].substring(1);
        }
        return rows;
    }

    private static void checkHeader(Path file, String[] header, List<CsvColumn> cols) {
        for (int j = 0; j < Math.min(header.length, cols.size()); j++) {
            if (!header[j].trim().equals(cols.get(j).header())) {
                throw new Mi4jException(file + ": row 1, column " + (j + 1) + ": expected header '" + cols.get(j).header()
                        + "', found '" + header[j] + "' (the file does not have the declared schema)");
            }
        }
        if (header.length < cols.size()) {
            throw new Mi4jException(file + ": row 1, column " + (header.length + 1) + ": missing header '"
                    + cols.get(header.length).header() + "' (the file has " + header.length + " columns, the schema "
                    + cols.size() + ")");
        }
        if (header.length > cols.size()) {
            throw new Mi4jException(file + ": row 1, column " + (cols.size() + 1) + ": undeclared column '"
                    + header[cols.size()] + "' (the file has " + header.length + " columns, the schema " + cols.size() + ")");
        }
    }

    private static void checkWidth(Path file, int rowNo, String[] row, List<CsvColumn> cols) {
        if (row.length < cols.size()) {
            throw new Mi4jException(where(file, rowNo, row.length, cols.get(row.length)) + ": missing field (the row has "
                    + row.length + " fields, the header " + cols.size() + ")");
        }
        if (row.length > cols.size()) {
            throw new Mi4jException(file + ": row " + rowNo + ", column " + (cols.size() + 1) + ": extra field '"
                    + row[cols.size()] + "' (the row has " + row.length + " fields, the header " + cols.size() + ")");
        }
    }

    private static int category(Path file, int rowNo, int j, CsvColumn c, String v) {
        int k = c.column().indexOf(v);
        if (k < 0) {
            throw new Mi4jException(where(file, rowNo, j, c) + ": unknown category '" + v + "' (declared: "
                    + String.join(", ", c.column().categories()) + ")");
        }
        return k;
    }

    private static double number(Path file, int rowNo, int j, CsvColumn c, String v) {
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Mi4jException(where(file, rowNo, j, c) + ": not a finite number '" + v + "'");
    }

    private static String where(Path file, int rowNo, int j, CsvColumn c) {
        return file + ": row " + rowNo + ", column " + (j + 1) + " (" + c.name() + ")";
    }
}
