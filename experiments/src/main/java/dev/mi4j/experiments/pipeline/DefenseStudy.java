package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.Gallery;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.experiments.report.ChartGrid;
import dev.mi4j.experiments.report.TextTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training-defense study: the same architecture trained without and with each training-time
 * defense (DP-SGD at several epsilons, label smoothing, weight decay), each attacked the same way.
 * Its outputs are one table (architecture, defense, epsilon, test accuracy, attack success), one
 * privacy-utility plot (test accuracy against the evaluator's top-1 on the reconstructions, a point
 * per defended model) and, per architecture, one gallery with the reconstructions of every
 * defense side by side.
 */
public final class DefenseStudy {

    /** One attacked model of the study. */
    public record Row(String architecture, String defense, Double epsilon, InversionRun.Summary run) {

        /** "none" for the undefended model. */
        public String defenseLabel() {
            return defense == null ? "none" : defense;
        }
    }

    private DefenseStudy() {
    }

    /** The row of one run: architecture, defense spec and the epsilon its provenance records (DP only). */
    public static Row row(TargetModel model, String defenseSpec, InversionRun.Summary run) {
        Map<String, Object> d = model.provenance().defense();
        Object eps = d == null ? null : d.get("epsilon");
        return new Row(model.provenance().architecture(), defenseSpec, eps instanceof Number n ? n.doubleValue() : null, run);
    }

    public static TextTable table(List<Row> rows) {
        TextTable t = new TextTable(List.of("model", "defense", "epsilon", "attack", "test acc", "mean best p_label",
                "top-1 attack acc", "lineup acc", "SSIM to mean"));
        for (Row r : rows) {
            var a = r.run().report().aggregate();
            t.row(List.of(r.architecture(), r.defenseLabel(), r.epsilon() == null ? "-" : String.format(Locale.ROOT, "%.3g", r.epsilon()),
                    r.run().attacker().startsWith("black-box") ? "black-box" : r.run().attacker(), pct(r.run().testAccuracy()),
                    String.format(Locale.ROOT, "%.3f", r.run().meanBestPLabel()), pct(a.top1Accuracy()), pct(a.lineupAccuracy()),
                    String.format(Locale.ROOT, "%.3f", a.meanSsimMean())));
        }
        return t;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /**
     * Test accuracy (utility) against the evaluator's top-1 on the reconstructions (privacy loss):
     * one panel per architecture and attacker (white-box panels first), so that no panel carries
     * more than one legend entry per defense family. DP-SGD is one line through its models in
     * order of epsilon, each point labelled with the epsilon it spent (points that coincide share
     * one label, "eps 1, 2, 4"); every other defense is one marker named by its spec; the
     * undefended model is a black square. Runs without an evaluator have no top-1 and are left out.
     */
    public static void plot(List<Row> rows, Path png, String subtitle) {
        Map<String, List<Row>> panels = new LinkedHashMap<>();
        for (String attacker : List.of("white-box", "black-box")) {
            for (Row r : rows) {
                if (attackerOf(r).equals(attacker) && !Double.isNaN(r.run().report().aggregate().top1Accuracy())
                        && !Double.isNaN(r.run().testAccuracy())) {
                    panels.computeIfAbsent(r.architecture() + " " + attacker, k -> new ArrayList<>()).add(r);
                }
            }
        }
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<String, List<Row>> e : panels.entrySet()) {
            charts.add(panel(e.getKey() + " (" + subtitle + ")", e.getValue()));
        }
        if (charts.isEmpty()) {
            XYChart c = axes("no run had an evaluation model (" + subtitle + ")");
            c.addSeries("no data", new double[] {0}, new double[] {0});
            charts.add(c);
        }
        int columns = (int) Math.max(1, panels.keySet().stream().filter(k -> k.endsWith(" white-box")).count());
        ChartGrid.write(charts, Math.min(3, columns), png);
    }

    private static String attackerOf(Row r) {
        return r.run().attacker().startsWith("black-box") ? "black-box" : "white-box";
    }

    private static XYChart axes(String title) {
        XYChart c = new XYChartBuilder().width(560).height(440).title(title)
                .xAxisTitle("target test accuracy (utility)").yAxisTitle("attack top-1 (evaluation model)").build();
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(1.0);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(13f));
        c.getStyler().setYAxisTickMarkSpacingHint(45);
        c.getStyler().setXAxisTickMarkSpacingHint(60);
        c.getStyler().setYAxisDecimalPattern("0.0");
        c.getStyler().setXAxisDecimalPattern("0.0");
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(11f));
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setAnnotationTextFont(c.getStyler().getAnnotationTextFont().deriveFont(10f));
        c.getStyler().setAnnotationTextFontColor(java.awt.Color.DARK_GRAY);
        return c;
    }

    /** 1, 2.5, 16: an epsilon as a reader writes it (3 significant digits, no trailing zeros). */
    private static String compact(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }

    private static XYChart panel(String title, List<Row> rows) {
        XYChart c = axes(title);
        List<Row> dp = rows.stream().filter(r -> r.epsilon() != null)
                .sorted(java.util.Comparator.comparingDouble(Row::epsilon)).toList();
        // The undefended model first, so that a defense's marker drawn on the same spot stays visible.
        List<Row> others = rows.stream().filter(r -> r.epsilon() == null)
                .sorted(java.util.Comparator.comparing((Row r) -> r.defense() != null)).toList();
        for (Row r : others) {
            var s = c.addSeries(r.defenseLabel(), new double[] {r.run().testAccuracy()},
                    new double[] {r.run().report().aggregate().top1Accuracy()});
            if (r.defense() == null) {
                s.setMarker(SeriesMarkers.SQUARE).setMarkerColor(java.awt.Color.BLACK).setLineColor(java.awt.Color.BLACK);
            } else {
                s.setMarker(r.defense().startsWith("ls") ? SeriesMarkers.TRIANGLE_UP
                        : r.defense().startsWith("l2") ? SeriesMarkers.CROSS : SeriesMarkers.DIAMOND);
            }
        }
        if (!dp.isEmpty()) {
            double[] x = dp.stream().mapToDouble(r -> r.run().testAccuracy()).toArray();
            double[] y = dp.stream().mapToDouble(r -> r.run().report().aggregate().top1Accuracy()).toArray();
            c.addSeries("DP-SGD (\u03b5 at \u03b4 = 1e-5)", x, y).setMarker(SeriesMarkers.CIRCLE);
            // One label per distinct point: epsilons whose models landed on the same spot share it.
            Map<String, List<Row>> at = new LinkedHashMap<>();
            for (Row r : dp) {
                at.computeIfAbsent(String.format(Locale.ROOT, "%.3f,%.3f", r.run().testAccuracy(),
                        r.run().report().aggregate().top1Accuracy()), k -> new ArrayList<>()).add(r);
            }
            // Labels of points close together are stacked so that they do not print over each other.
            double lastX = Double.NEGATIVE_INFINITY;
            int stack = 0;
            for (List<Row> same : at.values()) {
                String eps = String.join(", ", same.stream().map(r -> compact(r.epsilon())).toList());
                Row first = same.get(0);
                double x0 = first.run().testAccuracy();
                stack = x0 - lastX < 0.12 ? stack + 1 : 0;
                lastX = x0;
                c.addAnnotation(new org.knowm.xchart.AnnotationText("\u03b5=" + eps, x0 + 0.02,
                        first.run().report().aggregate().top1Accuracy() + 0.04 + 0.05 * stack, false));
            }
        }
        return c;
    }

    /**
     * Per architecture, the white-box reconstructions of each defended model beside the
     * undefended one's: training image, class mean, then one column per defense.
     */
    public static void galleries(List<Row> rows, LabeledImages privateTrain, Path outDir) {
        Map<String, List<Row>> byArch = new LinkedHashMap<>();
        for (Row r : rows) {
            if (!r.run().attacker().startsWith("black-box")) {
                byArch.computeIfAbsent(r.architecture(), k -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<Row>> e : byArch.entrySet()) {
            List<Row> runs = e.getValue();
            if (runs.size() < 2) {
                continue;
            }
            List<String> columns = new ArrayList<>(List.of("training image", "class mean"));
            runs.forEach(r -> columns.add(r.defenseLabel()));
            Gallery.Builder g = Gallery.builder(runs.get(0).run().result().attackName() + " (white-box) on " + e.getKey()
                            + " (" + privateTrain.name() + ") trained without and with each defense")
                    .columns(columns).rowsPerColumnBlock(10);
            var first = runs.get(0).run().result().reconstructions();
            for (int i = 0; i < first.size(); i++) {
                int label = first.get(i).label();
                INDArray own = privateTrain.imagesOf(label);
                List<INDArray> images = new ArrayList<>(List.of(own.get(NDArrayIndex.point(0)), own.mean(0)));
                StringBuilder caption = new StringBuilder(privateTrain.classNames().get(label));
                for (Row r : runs) {
                    var rec = r.run().result().reconstructions().get(i);
                    images.add(rec.image());
                    caption.append(String.format(Locale.ROOT, "  p=%.2f", rec.bestPLabel()));
                }
                g.row(caption.toString(), images);
            }
            g.write(outDir.resolve(e.getKey() + "-defenses.png"));
        }
    }
}
