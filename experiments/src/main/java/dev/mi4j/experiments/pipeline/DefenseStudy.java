package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.Gallery;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.experiments.report.TextTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
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
     * Test accuracy (utility) against the evaluator's top-1 on the reconstructions (privacy loss),
     * one series per architecture and attacker, each point named in the legend by its defense.
     * Runs without an evaluator have no top-1 and are left out.
     */
    public static void plot(List<Row> rows, Path png, String subtitle) {
        XYChart c = new XYChartBuilder().width(900).height(560)
                .title("Privacy-utility: test accuracy vs attack top-1 (" + subtitle + ")")
                .xAxisTitle("target test accuracy").yAxisTitle("attack top-1 accuracy (evaluation model)").build();
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(1.0);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(10f));
        boolean any = false;
        for (Row r : rows) {
            double top1 = r.run().report().aggregate().top1Accuracy();
            if (Double.isNaN(top1) || Double.isNaN(r.run().testAccuracy())) {
                continue;
            }
            String attacker = r.run().attacker().startsWith("black-box") ? "black-box" : "white-box";
            String name = r.architecture() + " " + attacker + ": " + r.defenseLabel()
                    + (r.epsilon() == null ? "" : String.format(Locale.ROOT, " (eps %.3g)", r.epsilon()));
            c.addSeries(name, new double[] {r.run().testAccuracy()}, new double[] {top1})
                    .setMarker(attacker.equals("white-box") ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            any = true;
        }
        if (!any) {
            c.addSeries("no run had an evaluation model", new double[] {0}, new double[] {0});
        }
        AtomicFiles.writeVia(png, tmp -> ImageIO.write(BitmapEncoder.getBufferedImage(c), "png", tmp.toFile()));
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
