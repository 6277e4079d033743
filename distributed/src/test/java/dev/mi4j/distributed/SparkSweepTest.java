package dev.mi4j.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.experiments.cli.Main;
import dev.mi4j.experiments.sweep.Csv;
import dev.mi4j.experiments.sweep.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mi4j sweep --spark} on the real AT&T faces: a 12-trial MI-Face grid run with
 * {@code --parallel 2}, on Spark {@code local[2]}, and on a standalone cluster (a master and two
 * workers on loopback, each its own JVM) gives the same results.csv (apart from wall time) and
 * bitwise-identical PNGs; a worker killed mid-sweep (with its executor) and a driver killed
 * mid-sweep lose nothing and duplicate nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkSweepTest {

    /** Models trained by the experiments module's tests are cached there; the same specs reuse them. */
    static final Path TEST_MODELS = Path.of("..", "experiments", "target", "test-models").toAbsolutePath().normalize();
    static final String[] LOOPBACK = {"--spark-conf", "spark.ui.enabled=false", "--spark-conf", "spark.driver.host=127.0.0.1",
            "--spark-conf", "spark.driver.bindAddress=127.0.0.1", "--spark-conf", "spark.executor.memory=1g"};

    @TempDir
    Path tmp;
    Path config;
    Path reference;

    @BeforeAll
    void referenceRun(@TempDir Path dir) throws Exception {
        System.setProperty("mi4j.models", TEST_MODELS.toString());
        System.setProperty("java.awt.headless", "true");
        config = dir.resolve("grid12.yaml");
        // softmax-grid's 12-point grid (lambda x alpha x init) at CI size: two identities, short
        // runs, the 3-epoch evaluator of the experiments module's sweep tests.
        Files.writeString(config, """
                name: grid12
                targets:
                  - architecture: softmax
                    seed: 1234
                evaluator:
                  architecture: eval
                  seed: 7
                  epochs: 3
                attack:
                  name: mi-face
                  beta: 100
                  gamma: 0.99
                  objective: one_minus_p
                  seed: 1
                  targets: 0,1
                sweep:
                  strategy: grid
                  parameters:
                    lambda: [0.1, 1.0]
                    alpha: [20, 50, 100]
                    init: [zeros, uniform]
                """);
        reference = dir.resolve("parallel");
        assertEquals(0, Main.execute("sweep", config.toString(), "--parallel", "2", "--out", reference.toString(), "--quiet"));
        assertEquals(13, rowsWithoutTime(reference).size(), "header + 12 trials");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void localSparkGivesTheSameResults() throws Exception {
        Path run = tmp.resolve("local");
        assertEquals(0, sweep(run, "local[2]"));
        assertSameAsReference(run);
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void standaloneClusterSurvivesALostWorkerAndAKilledDriver() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster(tmp.resolve("cluster"))) {
            Process first = cluster.addWorker("2g");
            cluster.addWorker("2g");

            // (c) the whole sweep on the cluster
            Path run = tmp.resolve("cluster-run");
            assertEquals(0, sweep(run, cluster.url()), () -> cluster.log("worker0") + cluster.log("worker1"));
            assertSameAsReference(run);

            // a worker (and its executor) killed after the first trial finished: Spark reruns its
            // task elsewhere, the sweep completes with each trial once
            Path lostWorker = tmp.resolve("lost-worker");
            CompletableFuture<Integer> driver = CompletableFuture.supplyAsync(() -> sweep(lostWorker, cluster.url()));
            waitUntil(() -> RunLayout.readDone(lostWorker).size() >= 1 || driver.isDone(), 240);
            int doneAtKill = RunLayout.readDone(lostWorker).size();
            LoopbackCluster.kill(first);
            assertEquals(0, driver.get(6, TimeUnit.MINUTES));
            assertTrue(doneAtKill < 12, "the worker was killed mid-sweep (" + doneAtKill + " trials done)");
            assertSameAsReference(lostWorker);

            // the driver killed mid-sweep (kill -9), then the same command again: it resumes
            cluster.addWorker("2g");
            Path lostDriver = tmp.resolve("lost-driver");
            Process child = childDriver(lostDriver, cluster.url());
            try {
                waitUntil(() -> RunLayout.readDone(lostDriver).size() >= 2 || !child.isAlive(), 240);
                assertTrue(child.isAlive(), () -> "driver ended before it could be killed: " + read(tmp.resolve("driver.log")));
            } finally {
                LoopbackCluster.kill(child);
            }
            int before = RunLayout.readDone(lostDriver).size();
            assertTrue(before < 12, "the driver was killed mid-sweep (" + before + " trials done)");
            assertEquals(0, sweep(lostDriver, cluster.url()));
            assertSameAsReference(lostDriver);
        }
    }

    /** The sweep through the command line in this JVM (the driver), on {@code master}. */
    private int sweep(Path run, String master) {
        List<String> args = new ArrayList<>(List.of("sweep", config.toString(), "--spark", master, "--out", run.toString(),
                "--quiet"));
        args.addAll(List.of(LOOPBACK));
        return Main.execute(args.toArray(String[]::new));
    }

    /** The same command in a child JVM, as ./mi4j starts it, so that it can be killed. */
    private Process childDriver(Path run, String master) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptions().split(" ")));
        for (String p : SparkProvider.FORWARDED_PROPERTIES) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.add("-Dmi4j.models=" + TEST_MODELS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "sweep", config.toString(),
                "--spark", master, "--out", run.toString(), "--quiet"));
        cmd.addAll(List.of(LOOPBACK));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("driver.log").toFile()).start();
    }

    /** Same rows as the --parallel 2 run, each trial once, one journal line per trial, identical PNGs. */
    private void assertSameAsReference(Path run) throws IOException {
        List<List<String>> expected = rowsWithoutTime(reference);
        assertEquals(expected, rowsWithoutTime(run), "results.csv apart from wall time");
        List<String> journal = Files.readAllLines(run.resolve(RunLayout.JOURNAL));
        assertEquals(12, journal.size(), "one journal line per trial");
        Set<String> ids = new HashSet<>();
        for (List<String> row : expected.subList(1, expected.size())) {
            String id = row.get(0);
            assertTrue(ids.add(id));
            List<Path> want = pngs(reference.resolve(id));
            assertEquals(want.stream().map(p -> reference.resolve(id).relativize(p).toString()).toList(),
                    pngs(run.resolve(id)).stream().map(p -> run.resolve(id).relativize(p).toString()).toList(), id);
            assertFalse(want.isEmpty());
            for (Path p : want) {
                Path other = run.resolve(id).resolve(reference.resolve(id).relativize(p).toString());
                assertEquals(-1L, Files.mismatch(p, other), "bitwise-identical " + id + "/" + reference.resolve(id).relativize(p));
            }
        }
        assertFalse(Files.exists(run.resolve(RunLayout.STAGING)), "no unfinished attempt left");
    }

    private static List<Path> pngs(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    static List<List<String>> rowsWithoutTime(Path run) throws IOException {
        List<List<String>> rows = Csv.parse(Files.readString(run.resolve(RunLayout.RESULTS)));
        int millis = rows.get(0).indexOf("millis");
        return rows.stream().map(r -> {
            List<String> copy = new ArrayList<>(r);
            if (millis >= 0) {
                copy.remove(millis);
            }
            return (List<String>) copy;
        }).toList();
    }

    private static void waitUntil(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within " + seconds + " s");
            Thread.sleep(50);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(none)";
        }
    }
}
