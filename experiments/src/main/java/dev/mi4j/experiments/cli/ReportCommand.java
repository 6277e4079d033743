package dev.mi4j.experiments.cli;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.experiments.report.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** mi4j report: the self-contained HTML report of a run folder. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/report.html: sortable results table, best trial per metric, galleries, cost curves, metric-vs-parameter plots, target provenance.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A folder written by mi4j sweep or mi4j run.")
    Path runDir;

    @Override
    public Integer call() {
        common.apply();
        if (!Files.isDirectory(runDir)) {
            throw new Mi4jException(runDir + ": no such run folder");
        }
        System.out.println(HtmlReport.write(runDir));
        return 0;
    }
}
