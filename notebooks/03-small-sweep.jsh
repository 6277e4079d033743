// 03 - Run a small sweep and read results.csv, as a researcher would before plotting.
// Run: notebooks/run 03   (the same as: ./mi4j sweep <config>; ./mi4j report <run>)
import dev.mi4j.experiments.config.*;
import dev.mi4j.experiments.pipeline.*;
import dev.mi4j.experiments.sweep.*;
import java.nio.file.*;
import java.util.*;

boolean quick = "1".equals(System.getenv("MI4J_QUICK"));
Path run = Path.of("runs", "notebooks", "03");
Files.createDirectories(run);

// A config is YAML; here it is written inline: 2 step sizes x 2 starting images on softmax regression.
Path config = run.resolve("config.yaml");
Files.writeString(config, String.join("\n",
        "name: notebook-sweep",
        "targets:",
        "  - architecture: softmax",
        "    seed: 1234",
        "evaluator:",
        "  architecture: eval",
        "  seed: 7",
        quick ? "  epochs: 3" : "  epochs: 20",
        "attack:",
        "  targets: " + (quick ? "0,1,2" : "all"),
        "  alpha: " + (quick ? 40 : 1000),
        "sweep:",
        "  parameters:",
        "    lambda: [0.1, 1.0]",
        "    init: [zeros, uniform]",
        ""));
var cfg = ConfigLoader.load(config);
var outcome = SweepPipeline.run(cfg, run.resolve("out"), Optional.empty(), TargetProvider.defaultCacheDir(), 1, false, true);
System.out.println(outcome.summary());

// results.csv: one row per trial, every swept parameter and every metric; pandas/R read it as is.
var rows = Csv.parse(Files.readString(run.resolve("out").resolve("results.csv")));
var header = rows.get(0);
System.out.println(header);
for (var row : rows.subList(1, rows.size())) {
    System.out.printf("lambda %-4s init %-8s mean best p %s  top-1 %s  SSIM to mean %s%n",
            row.get(header.indexOf("lambda")), row.get(header.indexOf("init")), row.get(header.indexOf("mean_best_p")),
            row.get(header.indexOf("top1_accuracy")), row.get(header.indexOf("ssim_mean")));
}
System.out.println("report: " + run.resolve("out").resolve("report.html"));
if (rows.size() != 5) System.out.println("NOTEBOOK FAILED: expected 4 trials");
/exit
