package dev.mi4j.experiments.cli;

import dev.mi4j.experiments.config.ConfigLoader;
import dev.mi4j.experiments.config.ExperimentConfig;
import dev.mi4j.experiments.pipeline.SweepPipeline;
import dev.mi4j.experiments.pipeline.TargetProvider;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mi4j run and mi4j sweep: an experiment config as trials, with resume, results.csv and report.html. */
@Command(name = "sweep", aliases = "run", mixinStandardHelpOptions = true,
        description = {"Run an experiment config: one trial per target and per candidate of its sweep: section "
                + "(mi4j run CONFIG is the same command). Results go to <output>/<trial-id>/, one row per trial in "
                + "results.csv, a journal in trials.jsonl, and report.html. Rerun to resume: finished trials are skipped."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "A YAML config (path, or name in configs/).")
    String config;

    @Option(names = "--parallel", defaultValue = "1", paramLabel = "N", description = "Trials run at once. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: the config's output).")
    Path out;

    @Option(names = "--data-path", paramLabel = "DIR", description = "Explicit dataset folder.")
    Path dataPath;

    @Option(names = "--retry-failed", description = "Run failed trials again (they are otherwise kept as failed).")
    boolean retryFailed;

    @Option(names = "--spark", arity = "0..1", fallbackValue = "", paramLabel = "MASTER",
            description = {"Run each trial as a task on Apache Spark: local[N], spark://host:port, or, without a value, "
                    + "the master spark-submit set. The run folder, the config, the data and the model cache must be at the "
                    + "same path on every executor (a shared file system). Needs the distributed module (./mi4j builds it)."})
    String spark;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting for --spark (repeatable), e.g. --spark-conf spark.executor.memory=6g.")
    java.util.Map<String, String> sparkConf = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() {
        common.apply();
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
        }
        if (spark == null && !sparkConf.isEmpty()) {
            throw new IllegalArgumentException("--spark-conf: only with --spark");
        }
        if (spark != null && parallel != 1) {
            throw new IllegalArgumentException("--parallel: not with --spark (Spark's cores decide how many trials run at once)");
        }
        Path file = ConfigLoader.locate(config, Main.home().resolve("configs"));
        ExperimentConfig cfg = ConfigLoader.load(file);
        Path runDir = out != null ? out : Path.of(cfg.output());
        SweepPipeline.Dispatch dispatch = spark == null ? SweepPipeline.Dispatch.local(parallel)
                : new SweepPipeline.Dispatch(1, "spark", spark.isBlank() ? null : spark, sparkConf);
        SweepPipeline.Outcome o = SweepPipeline.run(cfg, file, runDir, Optional.ofNullable(dataPath),
                TargetProvider.defaultCacheDir(), dispatch, retryFailed, common.quiet());
        System.out.printf("%s: %d trials (%d run now, %d already done, %d failed)%nresults: %s%nreport:  %s%n", cfg.name(),
                o.trials(), o.summary().executed(), o.summary().skipped(), o.summary().failed(),
                runDir.resolve("results.csv"), runDir.resolve("report.html"));
        return o.summary().failed() > 0 ? Main.EXIT_INTERNAL_ERROR : 0;
    }
}
