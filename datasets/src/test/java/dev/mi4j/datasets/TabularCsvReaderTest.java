package dev.mi4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.tabular.TabularData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables: the steak survey through the registry, and bad CSVs refused in one line. */
class TabularCsvReaderTest {

    @TempDir
    Path tmp;

    private static DatasetResolver sharedOnly(Path cache) {
        return new DatasetResolver(new DatasetLocations(Optional.of(TestData.sharedDatasets()), Optional.empty(), cache,
                false));
    }

    @Test
    void steakSurveyLoadsThroughTheRegistryAsDeclared() {
        TabularDatasets.Loaded t = TabularDatasets.load(sharedOnly(tmp), "steak-survey", Optional.empty());
        TabularData d = t.data();
        assertEquals(332, d.size(), "complete cases: every answer that is read given");
        assertEquals(List.of("lottery", "smoke", "alcohol", "gamble", "skydiving", "speeding", "cheated", "gender", "age",
                "income", "education", "region"), d.schema().names());
        assertEquals(List.of("Rare", "Medium rare", "Medium", "Medium Well", "Well"), d.classes());
        assertEquals(332, new HashSet<>(d.ids()).size());
        assertEquals(550, d.provenance().get("rowsInFile"));
        assertEquals(332, d.provenance().get("rowsKept"));
        @SuppressWarnings("unchecked")
        Map<String, Integer> dropped = (Map<String, Integer>) d.provenance().get("rowsDroppedForMissing");
        assertEquals(550 - 332, dropped.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals("row 2 checked and skipped", d.provenance().get("subHeader"));
        assertTrue(d.provenance().get("encoding").toString().contains("ordinal"), d.provenance().toString());
        assertEquals(t.resolved().manifestSha256(), d.provenance().get("manifestSha256"));
        // 57 of the 332 admitted cheating (counted independently with Python's csv module).
        int cheated = d.schema().index("cheated");
        assertArrayEquals(new double[] {275.0 / 332, 57.0 / 332}, d.marginal(cheated), 1e-12);
        // The second respondent of the file: Lottery A, No, Yes, No, No, No, No, Medium rare, Male, > 60, ...
        assertEquals("3234982343", d.ids().get(0));
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 0, 0, 0, 3, 2, 2, 2}, d.record(0));
        assertEquals(1, d.label(0));
    }

    @Test
    void explicitPathMayNameTheCsvFileItself() {
        Path csv = TestData.sharedDatasets().resolve("fivethirtyeight_steak").resolve("steak-risk-survey.csv");
        TabularDatasets.Loaded t = TabularDatasets.load(sharedOnly(tmp), "steak-survey", Optional.of(csv));
        assertEquals("explicit", t.resolved().origin());
        assertEquals(332, t.data().size());
    }

    @Test
    void aDamagedCopyFailsVerificationNamingTheFile() throws IOException {
        Path folder = tmp.resolve("data").resolve("fivethirtyeight_steak");
        Files.createDirectories(folder);
        byte[] bytes = Files.readAllBytes(TestData.sharedDatasets().resolve("fivethirtyeight_steak/steak-risk-survey.csv"));
        bytes[bytes.length / 2] ^= 1;
        Files.write(folder.resolve("steak-risk-survey.csv"), bytes);
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> TabularDatasets.load(sharedOnly(tmp), "steak-survey", Optional.of(tmp.resolve("data"))));
        assertTrue(e.getMessage().contains("steak-risk-survey.csv"), e.getMessage());
    }

    @Test
    void anUnknownTableListsTheKnownOnes() {
        Mi4jException e = assertThrows(Mi4jException.class, () -> DatasetRegistry.tabular("steak"));
        assertTrue(e.getMessage().contains("known tables: steak-survey"), e.getMessage());
    }

    // ---- bad CSVs, against a small declared schema ----

    private static final TabularDatasetSpec SMALL = new TabularDatasetSpec("small", "small", "small.csv", "test table",
            "/dev/mi4j/datasets/manifests/steak-survey.sha256", List.of(), "test",
            List.of(CsvColumn.id("Id", "id"),
                    CsvColumn.nominal("Smoker?", "smoke", List.of("No", "Yes"), CsvColumn.Missing.DROP_ROW),
                    CsvColumn.numeric("Score", "score", CsvColumn.Missing.ERROR),
                    CsvColumn.label("Steak", "steak", List.of("Rare", "Well"), CsvColumn.Missing.DROP_ROW)),
            List.of("", "Response", "Response", "Response"), "smoke", "Yes");

    private Path write(String text) throws IOException {
        Path f = tmp.resolve("small.csv");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private String refused(String text) throws IOException {
        Path f = write(text);
        Mi4jException e = assertThrows(Mi4jException.class, () -> TabularCsvReader.read(f, SMALL, null));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    private static final String HEAD = "Id,Smoker?,Score,Steak\n,Response,Response,Response\n";

    @Test
    void aGoodSmallFileReadsWithItsBlanksDropped() throws IOException {
        TabularData d = TabularCsvReader.read(write(HEAD + "1,Yes,0.5,Rare\n2,,1.5,Well\n3,No,2,Well\n\n"), SMALL, null);
        assertEquals(2, d.size());
        assertEquals(List.of("1", "3"), d.ids());
        assertArrayEquals(new double[] {0, 2}, d.record(1));
        assertEquals(Map.of("smoke", 1), d.provenance().get("rowsDroppedForMissing"));
    }

    @Test
    void raggedRowsNameRowAndColumn() throws IOException {
        assertTrue(refused(HEAD + "1,Yes,0.5,Rare\n2,No,0.5\n").endsWith(
                ": row 4, column 4 (steak): missing field (the row has 3 fields, the header 4)"));
        assertTrue(refused(HEAD + "1,Yes,0.5,Rare,extra\n").endsWith(
                ": row 3, column 5: extra field 'extra' (the row has 5 fields, the header 4)"));
    }

    @Test
    void anUnknownCategoryNamesRowColumnAndTheDeclaredOnes() throws IOException {
        assertTrue(refused(HEAD + "1,Yes,0.5,Rare\n2,Sometimes,0.5,Rare\n").endsWith(
                ": row 4, column 2 (smoke): unknown category 'Sometimes' (declared: No, Yes)"));
        assertTrue(refused(HEAD + "1,Yes,0.5,Medium\n").contains("row 3, column 4 (steak): unknown category 'Medium'"));
    }

    @Test
    void theWrongSchemaIsRefusedAtTheHeader() throws IOException {
        assertTrue(refused("Id,Smoker,Score,Steak\n").endsWith(
                ": row 1, column 2: expected header 'Smoker?', found 'Smoker' (the file does not have the declared schema)"));
        assertTrue(refused("Id,Smoker?,Score\n").endsWith(
                ": row 1, column 4: missing header 'Steak' (the file has 3 columns, the schema 4)"));
        assertTrue(refused("Id,Smoker?,Score,Steak,Age\n").contains("row 1, column 5: undeclared column 'Age'"));
        assertTrue(refused("Id,Smoker?,Score,Steak\n,Response,Answer,Response\n").endsWith(
                ": row 2, column 3 (score): expected sub-header 'Response', found 'Answer'"));
    }

    @Test
    void badValuesAreRefusedNamingRowAndColumn() throws IOException {
        assertTrue(refused(HEAD + "1,Yes,,Rare\n").endsWith(": row 3, column 3 (score): missing value (declared an error for this column)"));
        assertTrue(refused(HEAD + "1,Yes,high,Rare\n").endsWith(": row 3, column 3 (score): not a finite number 'high'"));
        assertTrue(refused(HEAD + "1,Yes,1,Rare\n1,No,2,Well\n").endsWith(": row 4, column 1 (id): id '1' appears twice"));
        assertTrue(refused(HEAD + "1,\"Yes,1,Rare\n").contains(": row 3: malformed CSV"));
    }

    @Test
    void membersAndNonMembersAreASeededStratifiedPartition() {
        TabularData d = TabularDatasets.load(sharedOnly(tmp), "steak-survey", Optional.empty()).data();
        TabularSplit a = TabularSplit.of(d, 0.5, 1);
        TabularSplit b = TabularSplit.of(d, 0.5, 1);
        assertEquals(a.members().ids(), b.members().ids());
        assertNotEquals(a.members().ids(), TabularSplit.of(d, 0.5, 2).members().ids());
        assertEquals(d.size(), a.members().size() + a.nonMembers().size());
        HashSet<String> in = new HashSet<>(a.members().ids());
        assertTrue(a.nonMembers().ids().stream().noneMatch(in::contains));
        int[] all = d.classCounts();
        int[] mem = a.members().classCounts();
        for (int c = 0; c < all.length; c++) {
            assertEquals(Math.round(0.5 * all[c]), mem[c], "class " + c);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TabularSplit.of(d, 1.0, 1)).getMessage()
                .startsWith("memberFraction"));
    }
}
