package dev.mi4j.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepRunnerTest {

    @TempDir
    Path tmp;

    private final List<Trial> trials = TrialGenerator.generate(FakeExecutor.grid12(), "fake-config-v1");

    private static List<List<String>> csv(Path runDir) throws IOException {
        return Csv.parse(Files.readString(runDir.resolve(RunLayout.RESULTS), StandardCharsets.UTF_8));
    }

    /** Every row's trial has done.json and a readable gallery PNG; ids are unique and in plan order. */
    static void assertComplete(Path runDir, List<Trial> plan) throws IOException {
        List<List<String>> rows = Csv.parse(Files.readString(runDir.resolve(RunLayout.RESULTS), StandardCharsets.UTF_8));
        assertEquals(plan.size() + 1, rows.size(), "header + one row per trial");
        Set<String> ids = new HashSet<>();
        for (int i = 1; i < rows.size(); i++) {
            String id = rows.get(i).get(0);
            assertTrue(ids.add(id), "duplicate id " + id);
            assertEquals(plan.get(i - 1).id(), id, "row " + i + " in plan order");
            Path dir = runDir.resolve(id);
            assertTrue(Files.isRegularFile(dir.resolve(RunLayout.DONE)), id + " has done.json");
            assertNotNull(ImageIO.read(dir.resolve("gallery.png").toFile()), id + " gallery.png is a readable PNG");
        }
    }

    @Test
    void runsTheGridAndWritesAStrictCsv() throws IOException {
        Path run = tmp.resolve("run");
        FakeExecutor exec = new FakeExecutor();
        SweepSummary s = new SweepRunner(run, exec, 1, true).run(trials);
        assertEquals(new SweepSummary(12, 0, 12, 0), s);
        assertComplete(run, trials);
        List<List<String>> rows = csv(run);
        assertEquals(List.of("trial_id", "lr", "steps", "init", "accuracy", "mse", "psnr", "status", "millis", "queries", "message"),
                rows.get(0));
        // first trial: lr 0.01, steps 100, zeros; millis and queries are the executor's
        assertEquals(List.of("0.01", "100", "zeros"), rows.get(1).subList(1, 4));
        assertEquals(List.of("ok", "110", "4000", ""), rows.get(1).subList(7, 11));
        // psnr NaN (lr 1, steps 200) is an empty cell, read as NaN/NA by pandas and R
        int nan = 0;
        for (List<String> r : rows.subList(1, rows.size())) {
            if (r.get(1).equals("1.0") && r.get(2).equals("200")) {
                assertEquals("", r.get(6));
                nan++;
            } else {
                assertTrue(Double.isFinite(Double.parseDouble(r.get(6))));
            }
        }
        assertEquals(2, nan);
        List<String> journal = Files.readAllLines(run.resolve(RunLayout.JOURNAL));
        assertEquals(12, journal.size());
        for (String line : journal) {
            assertEquals(12, Json.mapper().readValue(line, TrialRecord.class).trialId().length());
        }
        assertEquals(trials, RunLayout.readPlan(run));
    }

    @Test
    void secondRunExecutesNothing() throws IOException {
        Path run = tmp.resolve("run");
        new SweepRunner(run, new FakeExecutor(), 2, true).run(trials);
        byte[] csv = Files.readAllBytes(run.resolve(RunLayout.RESULTS));
        byte[] journal = Files.readAllBytes(run.resolve(RunLayout.JOURNAL));
        FakeExecutor again = new FakeExecutor();
        assertEquals(new SweepSummary(12, 12, 0, 0), new SweepRunner(run, again, 2, true).run(trials));
        assertEquals(0, again.executions.get());
        assertArrayEquals(csv, Files.readAllBytes(run.resolve(RunLayout.RESULTS)));
        assertArrayEquals(journal, Files.readAllBytes(run.resolve(RunLayout.JOURNAL)));
    }

    @Test
    void resumeRedoesOnlyTheInterruptedTrialAndRepairsTheJournal() throws IOException {
        Path run = tmp.resolve("run");
        new SweepRunner(run, new FakeExecutor(), 1, true).run(trials);
        byte[] csv = Files.readAllBytes(run.resolve(RunLayout.RESULTS));
        // Simulate kill -9: trial 5 has its files but no done.json, the journal's last line is cut
        // in half, and an atomic write left its temporary file.
        String victim = trials.get(5).id();
        Files.delete(run.resolve(victim).resolve(RunLayout.DONE));
        Path journal = run.resolve(RunLayout.JOURNAL);
        String text = Files.readString(journal);
        Files.writeString(journal, text.substring(0, text.length() - 40));
        Files.writeString(run.resolve(".results.csv.123.partial"), "half");

        FakeExecutor exec = new FakeExecutor();
        SweepSummary s = new SweepRunner(run, exec, 3, true).run(trials);
        assertEquals(new SweepSummary(12, 11, 1, 0), s);
        assertEquals(Set.of(victim), exec.executed);
        assertArrayEquals(csv, Files.readAllBytes(run.resolve(RunLayout.RESULTS)));
        assertComplete(run, trials);
        List<String> lines = Files.readAllLines(journal);
        assertEquals(12, lines.size());
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            ids.add(Json.mapper().readValue(line, TrialRecord.class).trialId());
        }
        assertEquals(12, ids.size());
        assertTrue(Files.readString(journal).endsWith("\n"));
        assertFalse(Files.exists(run.resolve(".results.csv.123.partial")));
    }

    @Test
    void journalMissingALineIsRebuiltFromDoneFiles() throws IOException {
        Path run = tmp.resolve("run");
        new SweepRunner(run, new FakeExecutor(), 1, true).run(trials);
        Path journal = run.resolve(RunLayout.JOURNAL);
        List<String> lines = Files.readAllLines(journal);
        Files.write(journal, lines.subList(0, 7)); // killed after done.json, before the append
        FakeExecutor exec = new FakeExecutor();
        new SweepRunner(run, exec, 1, true).run(trials);
        assertEquals(0, exec.executions.get());
        assertEquals(12, Files.readAllLines(journal).size());
    }

    @Test
    void parallelDoesNotChangeResults() throws IOException {
        Path one = tmp.resolve("p1");
        Path three = tmp.resolve("p3");
        new SweepRunner(one, new FakeExecutor(), 1, true).run(trials);
        new SweepRunner(three, new FakeExecutor(5, null), 3, true).run(trials);
        assertArrayEquals(Files.readAllBytes(one.resolve(RunLayout.RESULTS)), Files.readAllBytes(three.resolve(RunLayout.RESULTS)));
    }

    @Test
    void aFailingTrialIsRecordedAndTheSweepContinues() throws IOException {
        LinkedHashMap<String, ParameterSpace> spaces = new LinkedHashMap<>();
        spaces.put("lr", ParameterSpace.values(List.of(0.1, 1.0)));
        spaces.put("steps", ParameterSpace.values(List.of(100)));
        spaces.put("init", ParameterSpace.values(List.of("zeros", "boom, \"quoted\"")));
        List<Trial> plan = TrialGenerator.generate(new SweepSpec(spaces, Strategy.GRID, 0, 0), "f");
        Path run = tmp.resolve("run");
        SweepSummary s = new SweepRunner(run, new FakeExecutor(), 2, true).run(plan);
        assertEquals(new SweepSummary(4, 0, 4, 2), s);
        List<List<String>> rows = csv(run);
        int statusCol = rows.get(0).indexOf("status");
        int messageCol = rows.get(0).indexOf("message");
        for (List<String> r : rows.subList(1, rows.size())) {
            boolean boom = r.get(3).startsWith("boom");
            assertEquals(boom ? "failed" : "ok", r.get(statusCol));
            assertEquals(boom ? "IllegalStateException: exploded at step 3 of 100" : "", r.get(messageCol));
            if (boom) {
                assertEquals("boom, \"quoted\"", r.get(3), "quoted field reads back as written");
            }
        }
        FakeExecutor again = new FakeExecutor();
        assertEquals(new SweepSummary(4, 4, 0, 0), new SweepRunner(run, again, 1, true).run(plan));
        FakeExecutor retry = new FakeExecutor();
        assertEquals(new SweepSummary(4, 2, 2, 2), new SweepRunner(run, retry, 1, true).retryFailed(true).run(plan));
    }

    @Test
    void csvRoundTripsAwkwardText() {
        List<List<String>> rows = List.of(
                List.of("a", "b,c", "d\"e", "multi\nline", " padded ", ""),
                List.of("1", "", "x", "y\r\nz", "NaN", "\"\""));
        assertEquals(rows, Csv.parse(Csv.format(rows)));
        for (String bad : new String[] {"a,b\n1\n", "a\"b\n", "\"a\"b\n", "\"open\n"}) {
            assertThrowsIae(bad);
        }
    }

    private static void assertThrowsIae(String text) {
        try {
            Csv.parse(text);
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("accepted malformed CSV: " + text);
    }
}
