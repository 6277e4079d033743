package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.experiments.sweep.Csv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mi4j sweep end to end on real data: trials, results.csv, resume, parallel determinism, report. */
class SweepCommandTest {

    @TempDir
    Path tmp;

    private Path config() throws Exception {
        return miniConfig(tmp);
    }

    /** A 4-trial softmax sweep (alpha x init on 3 identities, 3-epoch evaluator): mini.yaml in {@code dir}. */
    static Path miniConfig(Path dir) throws Exception {
        Path c = dir.resolve("mini.yaml");
        Files.writeString(c, """
                name: mini
                targets:
                  - architecture: softmax
                    seed: 1234
                evaluator:
                  architecture: eval
                  seed: 7
                  epochs: 3
                attack:
                  targets: 0,1,2
                  lambda: 1.0
                sweep:
                  parameters:
                    alpha: [20, 40]
                    init: [zeros, uniform]
                """);
        return c;
    }

    /** results.csv without the wall-time column, the one column that may differ between runs. */
    private static List<List<String>> rowsWithoutTime(Path csv) throws Exception {
        List<List<String>> rows = Csv.parse(Files.readString(csv));
        int millis = rows.get(0).indexOf("millis");
        return rows.stream().map(r -> {
            List<String> copy = new java.util.ArrayList<>(r);
            copy.remove(millis);
            return (List<String>) copy;
        }).toList();
    }

    @Test
    void gridSweepWritesOneRowPerTrialResumesAndIsDeterministicAcrossParallelism() throws Exception {
        Path cfg = config();
        Path serial = tmp.resolve("serial");
        CliRun r = CliRun.of("sweep", cfg.toString(), "--out", serial.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("4 trials (4 run now, 0 already done, 0 failed)"), r.out());
        List<List<String>> rows = rowsWithoutTime(serial.resolve("results.csv"));
        assertEquals(5, rows.size(), "header + 4 trials");
        List<String> header = rows.get(0);
        for (String col : List.of("trial_id", "target", "alpha", "init", "mean_best_p", "top1_accuracy", "ssim_mean", "queries", "status")) {
            assertTrue(header.contains(col), col + " in " + header);
        }
        for (List<String> row : rows.subList(1, rows.size())) {
            String id = row.get(header.indexOf("trial_id"));
            assertEquals("ok", row.get(header.indexOf("status")));
            assertTrue(Files.isRegularFile(serial.resolve(id).resolve("gallery.png")));
            assertTrue(Files.isRegularFile(serial.resolve(id).resolve("cost_curve.csv")));
            assertTrue(Files.isRegularFile(serial.resolve(id).resolve("config.json")));
        }
        assertTrue(Files.readString(serial.resolve("report.html")).contains("<table"));

        CliRun again = CliRun.of("run", cfg.toString(), "--out", serial.toString(), "--quiet");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("(0 run now, 4 already done, 0 failed)"), again.out());

        Path parallel = tmp.resolve("parallel");
        assertEquals(0, CliRun.of("sweep", cfg.toString(), "--out", parallel.toString(), "--parallel", "2", "--quiet").exitCode());
        assertEquals(rows, rowsWithoutTime(parallel.resolve("results.csv")), "same numbers with 1 or 2 trials at a time");
        for (List<String> row : rows.subList(1, rows.size())) {
            String id = row.get(0);
            Path a = serial.resolve(id).resolve("s1").resolve("reconstruction.png");
            Path b = parallel.resolve(id).resolve("s1").resolve("reconstruction.png");
            assertEquals(-1L, Files.mismatch(a, b), "bitwise-identical reconstructions: " + id);
        }
    }

    @Test
    void unknownSweepParameterIsNamed() throws Exception {
        Path c = tmp.resolve("bad.yaml");
        Files.writeString(c, "name: bad\ntargets:\n  - architecture: softmax\nsweep:\n  parameters:\n    learning_rate: [1, 2]\n");
        CliRun r = CliRun.of("sweep", c.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.err());
        assertTrue(r.errorLines().contains("learning_rate"), r.err());
    }
}
