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
        description = "Write RUN_DIR/report.html, one self-contained interactive page for a sweep or a reproduce run: results table"
                + " (sort, filter, 4 significant digits), best trial per metric, charts (cost curves, metric vs varying parameters,"
                + " parallel coordinates), a compare view of trials' reconstructions, paginated galleries (raw and"
                + " contrast-stretched), static PNG charts, target provenance.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A folder written by mi4j sweep, mi4j run or mi4j reproduce.")
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
