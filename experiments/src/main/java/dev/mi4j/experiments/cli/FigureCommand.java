package dev.mi4j.experiments.cli;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.experiments.report.PaperFigure;
import dev.mi4j.experiments.report.RunData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mi4j figure: a publication grid of reconstructions (rows identities, columns methods) as PNG, SVG or PDF. */
@Command(name = "figure", mixinStandardHelpOptions = true,
        description = "Draw a publication figure from a run folder: one row per identity, one column per trial (method),"
                + " the private image first; PNG at a chosen DPI, or vector SVG/PDF (text as text, faces as lossless images).")
final class FigureCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A folder written by mi4j sweep or mi4j reproduce.")
    Path runDir;

    @Option(names = "--trials", required = true, split = ",", paramLabel = "ID",
            description = "Trials (columns), in order: trial ids or unique id prefixes (results.csv), or a study's run folders (e.g. softmax,mlp-blackbox).")
    List<String> trials;

    @Option(names = "--identities", split = ",", paramLabel = "NAME",
            description = "Identities (rows), in order, e.g. s1,s2,s5 (default: every identity of the trials, at most " + PaperFigure.MAX_ROWS + ").")
    List<String> identities = new ArrayList<>();

    @Option(names = "--labels", split = ",", paramLabel = "TEXT", description = "Column headings, one per trial (default: the values that vary, or the folder).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--show", paramLabel = "raw|stretched|both", defaultValue = "both",
            description = "Which reconstruction per trial: as returned (raw), contrast-stretched, or both side by side (default: ${DEFAULT-VALUE}).")
    String show;

    @Option(names = "--no-training", negatable = false, description = "Leave out the private training image column.")
    boolean noTraining;

    @Option(names = "--mean", description = "Add the identity's mean image as a column.")
    boolean mean;

    @Option(names = "--no-captions", negatable = false, description = "No p_label / top-1 line under the reconstructions.")
    boolean noCaptions;

    @Option(names = "--width-mm", defaultValue = "170", paramLabel = "MM", description = "Figure width in millimetres (default: ${DEFAULT-VALUE}, a two-column page; 85 for one column).")
    double widthMm;

    @Option(names = "--dpi", defaultValue = "300", description = "PNG resolution (default: ${DEFAULT-VALUE}).")
    int dpi;

    @Option(names = "--font-pt", defaultValue = "7", paramLabel = "PT", description = "Text size in points (default: ${DEFAULT-VALUE}).")
    double fontPt;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file: .png, .svg or .pdf.")
    Path out;

    @Override
    public Integer call() {
        common.apply();
        if (!Files.isDirectory(runDir)) {
            throw new Mi4jException(runDir + ": no such run folder");
        }
        if (!PaperFigure.knownFormat(out)) {
            throw new Mi4jException("--out: " + out + " must end in .png, .svg or .pdf");
        }
        PaperFigure.Show s = switch (show.toLowerCase(Locale.ROOT)) {
            case "raw" -> PaperFigure.Show.RAW;
            case "stretched" -> PaperFigure.Show.STRETCHED;
            case "both" -> PaperFigure.Show.BOTH;
            default -> throw new Mi4jException("--show: expected raw, stretched or both, got '" + show + "'");
        };
        PaperFigure fig = PaperFigure.of(RunData.load(runDir), new PaperFigure.Options(identities, trials, labels, s,
                !noTraining, mean, !noCaptions, widthMm, dpi, fontPt));
        fig.write(out);
        System.out.printf(Locale.ROOT, "%s (%.0f x %.0f mm)%n", out, fig.widthPt() / 72 * 25.4, fig.heightPt() / 72 * 25.4);
        return 0;
    }
}
