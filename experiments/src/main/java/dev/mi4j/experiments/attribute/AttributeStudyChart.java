package dev.mi4j.experiments.attribute;

import dev.mi4j.experiments.report.ChartGrid;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The study's bar chart: one row of the table per category, members beside non-members, in three
 * stacked panels (accuracy, precision and recall for the positive value). An undefined precision
 * (the attack never said "Yes") is drawn as 0 and said so in the panel's title.
 */
final class AttributeStudyChart {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 480;

    private AttributeStudyChart() {
    }

    static void write(List<AttributeStudy.Row> rows, String positive, String title, Path file) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(panel(rows, title + ": attack accuracy", r -> r.members().accuracy(), r -> r.nonMembers().accuracy()));
        panels.add(panel(rows, "precision for '" + positive + "' (no '" + positive + "' guessed: drawn as 0)",
                r -> r.members().precision(), r -> r.nonMembers().precision()));
        panels.add(panel(rows, "recall for '" + positive + "'", r -> r.members().recall(), r -> r.nonMembers().recall()));
        ChartGrid.writeImages(panels, 1, file);
    }

    private static BufferedImage panel(List<AttributeStudy.Row> rows, String title, ToDoubleFunction<AttributeStudy.Row> members,
                                       ToDoubleFunction<AttributeStudy.Row> nonMembers) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle("%").build();
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        List<String> cats = new ArrayList<>();
        List<Double> m = new ArrayList<>();
        List<Double> n = new ArrayList<>();
        for (AttributeStudy.Row r : rows) {
            cats.add(r.label());
            m.add(zeroIfNaN(members.applyAsDouble(r)));
            n.add(zeroIfNaN(nonMembers.applyAsDouble(r)));
        }
        chart.addSeries("members (trained on)", cats, m);
        chart.addSeries("non-members (held out)", cats, n);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : 100 * v;
    }
}
