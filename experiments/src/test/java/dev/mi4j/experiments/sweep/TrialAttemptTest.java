package dev.mi4j.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trial folder appears complete or not at all; two attempts at one trial never mix their files. */
class TrialAttemptTest {

    @TempDir
    Path run;

    private static final Trial TRIAL = new Trial("0123456789ab", new LinkedHashMap<>(java.util.Map.of("alpha", 10)));

    private static TrialExecutor writing(String text, double metric) {
        return (trial, dir) -> {
            Files.writeString(dir.resolve("a.txt"), text);
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("score", metric);
            return TrialOutcome.ok(m, 5, 1);
        };
    }

    @Test
    void theFirstPublishedAttemptWinsAndTheSecondLeavesNothing() throws Exception {
        TrialRecord first = TrialAttempt.run(run, TRIAL, writing("first", 1.0));
        assertEquals("first", Files.readString(run.resolve(TRIAL.id()).resolve("a.txt")));
        // A second attempt (a cluster retrying a task it thought lost) runs to the end, then finds
        // the trial published: it keeps the published one and removes its own files.
        TrialRecord second = TrialAttempt.run(run, TRIAL, writing("second", 2.0));
        assertEquals(first, second);
        assertEquals(1.0, second.metrics().get("score"));
        assertEquals("first", Files.readString(run.resolve(TRIAL.id()).resolve("a.txt")));
        try (Stream<Path> s = Files.list(run.resolve(RunLayout.STAGING))) {
            assertEquals(List.of(), s.toList(), "the losing attempt's staging folder is gone");
        }
    }

    @Test
    void aFolderWithoutDoneJsonIsReplacedAndAFailureIsARecord() throws Exception {
        Path stale = Files.createDirectories(run.resolve(TRIAL.id()));
        Files.writeString(stale.resolve("a.txt"), "stale");
        TrialRecord r = TrialAttempt.run(run, TRIAL, (trial, dir) -> {
            Files.writeString(dir.resolve("partial.txt"), "x");
            throw new IllegalStateException("exploded\nat step 3");
        });
        assertTrue(r.failed());
        assertEquals("IllegalStateException: exploded at step 3", r.message());
        assertFalse(Files.exists(stale.resolve("a.txt")), "the stale folder was replaced");
        assertTrue(Files.isRegularFile(stale.resolve("partial.txt")), "a failed trial keeps what it wrote");
        assertEquals(r, RunLayout.readDoneFile(stale));
    }
}
