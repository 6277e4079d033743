package dev.mi4j.experiments.sweep;

import dev.mi4j.core.io.AtomicFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

/** Test fixture for the report tests: a finished 18-trial fake sweep (6 of them fail) with hostile text in it. */
public final class SampleRuns {

    public static final String HOSTILE = "<script>alert(1)</script>";

    private SampleRuns() {
    }

    /** Runs lr x steps x init (init holds {@link #HOSTILE} and a value that makes the trial fail). */
    public static List<Trial> hostileSweep(Path runDir) {
        LinkedHashMap<String, ParameterSpace> spaces = new LinkedHashMap<>();
        spaces.put("lr", ParameterSpace.log(0.01, 1, 3));
        spaces.put("steps", ParameterSpace.intRange(100, 200, 100));
        spaces.put("init", ParameterSpace.values(List.of("zeros", HOSTILE, "boom & <b>bang</b>")));
        List<Trial> trials = TrialGenerator.generate(new SweepSpec(spaces, Strategy.GRID, 0, 0), "report-test");
        new SweepRunner(runDir, new FakeExecutor(), 2, true).run(trials);
        AtomicFiles.writeString(runDir.resolve("target.provenance.json"), """
                {"model": "<b>mlp</b> 10304-3000-40", "dataset": {"name": "att_faces", "sha256": "ab12"},
                 "layers": [10304, 3000, 40], "note": "x < y & \\"quoted\\""}
                """);
        return trials;
    }
}
