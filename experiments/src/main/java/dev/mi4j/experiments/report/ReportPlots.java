package dev.mi4j.experiments.report;

import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.experiments.sweep.Csv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report's static charts (PNG, for papers and for readers without a browser), drawn with
 * XChart into {@code runDir/plots/} (atomically): one chart per metric and parameter that both
 * vary between trials (scatter for a numeric parameter, log x axis when it spans two decades or
 * more; bars of the mean for a text parameter), and the cost curves of up to {@value #MAX_CURVES}
 * trials from their {@code cost_curve.csv} (columns iteration, mean_cost). Only trials with status
 * "ok" and finite values are plotted. The interactive report draws the same data with Vega-Lite.
 */
final class ReportPlots {

    static final String DIR = "plots";
    static final int MAX_CURVES = 24;
    static final String COST_CURVE = "cost_curve.csv";
    /** Metric-vs-parameter PNGs per report, at most (a study varies many parameters at once). */
    static final int MAX_PLOTS = 36;
    private static final Logger LOG = LoggerFactory.getLogger(ReportPlots.class);
    private static final int WIDTH = 520;
    private static final int HEIGHT = 340;

    /** A written chart: its path relative to the run directory, and a caption. */
    record Plot(String relativePath, String caption) {
    }

    private final Path runDir;
    private final Set<String> usedNames = new HashSet<>();

    ReportPlots(Path runDir) {
        this.runDir = runDir;
    }

    List<Plot> metricVsParameter(RunData data) {
        List<Plot> out = new ArrayList<>();
        for (String metric : data.varyingMetrics()) {
            for (String param : data.entries().size() < 2 ? List.<String>of() : data.varyingParameters()) {
                List<Object> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (RunData.Entry r : data.entries()) {
                    Double y = finite(r.metrics().get(metric));
                    Object x = r.params().get(param);
                    if (!r.failed() && y != null && x != null) {
                        xs.add(x);
                        ys.add(y);
                    }
                }
                if (xs.isEmpty()) {
                    continue;
                }
                if (out.size() >= MAX_PLOTS) {
                    LOG.info("{} metric-vs-parameter PNGs written; the rest are only in the interactive report", MAX_PLOTS);
                    return out;
                }
                Chart<?, ?> chart = xs.stream().allMatch(x -> x instanceof Number)
                        ? scatter(metric, param, xs, ys) : bars(metric, param, xs, ys);
                out.add(save(chart, metric + "-vs-" + param, metric + " vs " + param));
            }
        }
        return out;
    }

    Optional<Plot> costCurves(RunData data) {
        XYChart chart = new XYChartBuilder().width(WIDTH * 2).height(HEIGHT + 80).title("Cost curves")
                .xAxisTitle("iteration").yAxisTitle("mean cost").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(0);
        int n = 0;
        for (RunData.Entry r : data.entries()) {
            Path file = runDir.resolve(r.folder()).resolve(COST_CURVE);
            if (n >= MAX_CURVES || !Files.isRegularFile(file)) {
                continue;
            }
            double[][] curve = readCurve(file);
            if (curve != null && curve[0].length > 0) {
                String name = chart.getSeriesMap().containsKey(r.label()) ? r.label() + " (" + r.id() + ")" : r.label();
                XYSeries s = chart.addSeries(name, curve[0], curve[1]);
                s.setMarker(SeriesMarkers.NONE);
                n++;
            }
        }
        return n == 0 ? Optional.empty() : Optional.of(save(chart, "cost_curves",
                "Mean cost per iteration" + (n == MAX_CURVES ? " (first " + MAX_CURVES + " trials)" : "")));
    }

    /** iteration and mean_cost columns, or null when the file is not such a CSV. */
    static double[][] readCurve(Path file) {
        try {
            List<List<String>> rows = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (rows.isEmpty()) {
                return null;
            }
            int xi = rows.get(0).indexOf("iteration");
            int yi = rows.get(0).indexOf("mean_cost");
            if (xi < 0 || yi < 0) {
                LOG.warn("{}: no iteration/mean_cost columns, not plotted", file);
                return null;
            }
            List<double[]> pts = new ArrayList<>();
            for (List<String> row : rows.subList(1, rows.size())) {
                try {
                    double x = Double.parseDouble(row.get(xi));
                    double y = Double.parseDouble(row.get(yi));
                    if (Double.isFinite(x) && Double.isFinite(y)) {
                        pts.add(new double[] {x, y});
                    }
                } catch (NumberFormatException skip) {
                    // an empty or non-numeric cell: that point is not plotted
                }
            }
            double[][] out = new double[2][pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                out[0][i] = pts.get(i)[0];
                out[1][i] = pts.get(i)[1];
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("{}: unreadable cost curve ({}), not plotted", file, e.getMessage());
            return null;
        }
    }

    private static XYChart scatter(String metric, String param, List<Object> xs, List<Double> ys) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(metric + " vs " + param)
                .xAxisTitle(param).yAxisTitle(metric).build();
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(8);
        double[] x = xs.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        chart.getStyler().setXAxisLogarithmic(min > 0 && max / min >= 100);
        chart.addSeries(metric, x, y);
        return chart;
    }

    private static CategoryChart bars(String metric, String param, List<Object> xs, List<Double> ys) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < xs.size(); i++) {
            double[] s = sums.computeIfAbsent(String.valueOf(xs.get(i)), k -> new double[2]);
            s[0] += ys.get(i);
            s[1]++;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("mean " + metric + " by " + param)
                .xAxisTitle(param).yAxisTitle(metric).build();
        chart.getStyler().setLegendVisible(false);
        List<String> cats = new ArrayList<>(sums.keySet());
        List<Double> means = cats.stream().map(c -> sums.get(c)[0] / sums.get(c)[1]).toList();
        chart.addSeries(metric, cats, means);
        return chart;
    }

    private Plot save(Chart<?, ?> chart, String name, String caption) {
        String base = name.replaceAll("[^A-Za-z0-9_.-]+", "_");
        String file = base + ".png";
        for (int i = 2; !usedNames.add(file.toLowerCase(Locale.ROOT)); i++) {
            file = base + "_" + i + ".png";
        }
        AtomicFiles.write(runDir.resolve(DIR).resolve(file), out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        return new Plot(DIR + "/" + file, caption);
    }

    static Double finite(Object v) {
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        return null;
    }
}
