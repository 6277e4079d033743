package dev.mi4j.experiments.pipeline;

import dev.mi4j.attacks.AttackParams;
import dev.mi4j.defenses.output.OutputPolicy;
import dev.mi4j.defenses.output.Rounding;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.experiments.config.BlackBoxConfig;
import dev.mi4j.experiments.config.CountermeasureConfig;
import dev.mi4j.experiments.report.ChartGrid;
import dev.mi4j.experiments.report.TextTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The paper's countermeasure experiment: the black-box attack against each model whose
 * confidences are released through an output policy (rounded to r, ...). Success is measured
 * on what the attacker cannot see: the unaltered model's p_label of the reconstructions, and
 * the independent evaluator's top-1.
 */
public final class CountermeasureStudy {

    /** One model behind one policy. {@code r} is the rounding step, or null for other policies. */
    public record Point(String model, String policy, Double r, int targets, double meanObservedP, double meanTrueP,
                        double attackTop1, double ssimToMean, long queries, long millis) {
    }

    private final BlackBoxConfig blackBox;
    private final CountermeasureConfig config;
    private final boolean quick;

    public CountermeasureStudy(BlackBoxConfig blackBox, CountermeasureConfig config, boolean quick) {
        this.blackBox = blackBox;
        this.config = config;
        this.quick = quick;
    }

    public List<Point> run(Map<String, TargetModel> models, ExperimentContext ctx, AttackParams blackBoxParams, Path outDir,
                           boolean quiet) {
        AttackParams params = config.alpha() == null ? blackBoxParams : blackBoxParams.withIterationsAtMost(config.alpha());
        int[] labels = TargetSelection.parse(config.targets(), ctx.data().images().classNames(), "countermeasures.targets");
        List<Point> points = new ArrayList<>();
        // A quick run checks the mechanism on the first model only.
        for (String name : quick ? config.models().subList(0, Math.min(1, config.models().size())) : config.models()) {
            TargetModel target = models.get(name);
            if (target == null) {
                throw new Mi4jException("countermeasures.models: '" + name + "' is not one of the targets " + models.keySet());
            }
            for (OutputPolicy policy : config.parsedPolicies()) {
                String dir = policy.spec().replaceAll("[^A-Za-z0-9.]+", "_");
                InversionRun.Summary s = InversionRun.run(ctx, InversionRun.Request.blackBox(name, target,
                                blackBox.attackerView(target.classifier(), policy),
                                "black-box " + blackBox.describe() + ", output " + policy.spec(), params, labels),
                        outDir.resolve("countermeasures").resolve(name).resolve(dir), quiet);
                var a = s.report().aggregate();
                points.add(new Point(name, policy.spec(), policy instanceof Rounding r ? r.r() : null, labels.length,
                        s.meanBestPLabel(), s.meanTrueP(), a.top1Accuracy(), a.meanSsimMean(), s.modelQueries(),
                        s.result().millis()));
            }
        }
        plot(points, outDir.resolve("countermeasures.png"), params.iterations() + " iterations" + (quick ? ", quick run" : ""));
        return points;
    }

    public static TextTable table(List<Point> points) {
        TextTable t = new TextTable(List.of("model", "output", "targets", "p_label seen", "true p_label", "top-1 attack acc",
                "SSIM to mean", "queries", "time"));
        for (Point p : points) {
            t.row(List.of(p.model(), p.policy(), String.valueOf(p.targets()), f3(p.meanObservedP()), f3(p.meanTrueP()),
                    TextTable.percent(p.attackTop1()),
                    f3(p.ssimToMean()), String.format(Locale.ROOT, "%,d", p.queries()),
                    String.format(Locale.ROOT, "%.1f s", p.millis() / 1000.0)));
        }
        return t;
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Two XChart panels: true p_label and attack top-1 against r (log axis), a line per model. */
    static void plot(List<Point> points, Path png, String subtitle) {
        List<String> models = points.stream().map(Point::model).distinct().toList();
        XYChart pChart = chart("True p_label of reconstructions vs rounding r (" + subtitle + ")", "mean true p_label");
        XYChart topChart = chart("Evaluator top-1 of reconstructions vs rounding r", "attack top-1 accuracy");
        for (String m : models) {
            List<Point> rounded = points.stream().filter(p -> p.model().equals(m) && p.r() != null)
                    .sorted((a, b) -> Double.compare(a.r(), b.r())).toList();
            if (rounded.isEmpty()) {
                continue;
            }
            double[] x = rounded.stream().mapToDouble(Point::r).toArray();
            addSeries(pChart, m, x, rounded.stream().mapToDouble(Point::meanTrueP).toArray());
            addSeries(topChart, m, x, rounded.stream().mapToDouble(Point::attackTop1).toArray());
            points.stream().filter(p -> p.model().equals(m) && p.r() == null).forEach(p -> {
                addReference(pChart, m + " " + p.policy(), x, p.meanTrueP());
                addReference(topChart, m + " " + p.policy(), x, p.attackTop1());
            });
        }
        ChartGrid.write(List.of(pChart, topChart), 2, png);
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("rounding r").yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(12f));
        return c;
    }

    private static void addSeries(XYChart c, String name, double[] x, double[] y) {
        double[] clean = java.util.Arrays.stream(y).map(v -> Double.isNaN(v) ? 0 : v).toArray();
        c.addSeries(name, x, clean).setMarker(SeriesMarkers.CIRCLE);
    }

    private static void addReference(XYChart c, String name, double[] x, double y) {
        if (Double.isNaN(y) || x.length == 0) {
            return;
        }
        XYSeries s = c.addSeries(name, new double[] {x[0], x[x.length - 1]}, new double[] {y, y});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
    }
}
