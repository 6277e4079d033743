package dev.mi4j.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real kill -9 of a sweep in a child JVM, then an in-process resume. */
class SweepKillTest {

    static final String FINGERPRINT = "kill-test-config";

    @TempDir
    Path tmp;

    @Test
    void resumesAfterDestroyForcibly() throws Exception {
        List<Trial> trials = TrialGenerator.generate(FakeExecutor.grid12(), FINGERPRINT);
        String hang = trials.get(4).id();
        Path run = tmp.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SweepChildMain.class.getName(), run.toString(), hang)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile())
                .start();
        int doneBeforeKill;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // wait until the hanging trial has written its files and some others have finished
            while (!(Files.exists(stagingOf(run, hang).resolve("cost_curve.csv")) && RunLayout.readDone(run).size() >= 4)) {
                assertTrue(child.isAlive(), () -> "child exited early: " + log());
                assertTrue(System.nanoTime() < deadline, () -> "child too slow: " + log());
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        Map<String, TrialRecord> before = RunLayout.readDone(run);
        doneBeforeKill = before.size();
        assertTrue(doneBeforeKill < 12, "the child was killed mid-sweep");
        assertFalse(before.containsKey(hang));
        assertTrue(Files.isDirectory(stagingOf(run, hang)), "the interrupted trial left its staging folder behind");
        assertFalse(Files.exists(run.resolve(hang)), "an unfinished trial never appears under its id");

        FakeExecutor resume = new FakeExecutor();
        SweepSummary s = new SweepRunner(run, resume, 2, true).run(trials);
        assertEquals(12 - doneBeforeKill, s.executed());
        assertEquals(12 - doneBeforeKill, resume.executions.get(), "each unfinished trial ran exactly once");
        assertTrue(resume.executed.contains(hang));
        for (String id : before.keySet()) {
            assertFalse(resume.executed.contains(id), id + " was finished before the kill and must not rerun");
        }
        SweepRunnerTest.assertComplete(run, trials);
        assertEquals(12, Files.readAllLines(run.resolve(RunLayout.JOURNAL)).size());
        assertFalse(Files.exists(run.resolve(RunLayout.STAGING)), "the resumed run removed the unfinished attempt");
    }

    /** The staging folder of a trial's attempt (the only one), or a path that does not exist. */
    static Path stagingOf(Path run, String trialId) throws IOException {
        Path staging = run.resolve(RunLayout.STAGING);
        if (!Files.isDirectory(staging)) {
            return staging.resolve(trialId + ".none");
        }
        try (var s = Files.list(staging)) {
            return s.filter(p -> p.getFileName().toString().startsWith(trialId + ".")).findFirst()
                    .orElse(staging.resolve(trialId + ".none"));
        }
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("child.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
