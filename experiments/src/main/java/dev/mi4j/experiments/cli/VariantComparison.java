package dev.mi4j.experiments.cli;

import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.attacks.RunLabel;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.Gallery;
import dev.mi4j.experiments.pipeline.InversionRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The comparison gallery of a target's white-box runs under several parameter variants (e.g.
 * MI-Face without and with Process-DAE), named by the attack's {@link RunLabel}s.
 */
final class VariantComparison {

    /** Rows per column block of the comparison gallery, as in a run's own gallery. */
    private static final int ROWS_PER_BLOCK = 10;

    private VariantComparison() {
    }

    /**
     * One gallery with the target's reconstructions under every variant side by side, per
     * identity: a training image, the class mean, then one reconstruction per variant.
     */
    static void write(String target, List<RunLabel> variants, List<InversionRun.Summary> runs,
                                LabeledImages privateTrain, Path png) {
        List<String> columns = new ArrayList<>(List.of("training image", "class mean"));
        for (RunLabel v : variants) {
            columns.add(v.column());
        }
        Gallery.Builder g = Gallery.builder(runs.get(0).result().attackName() + " (white-box) on " + target + " ("
                        + privateTrain.name() + "): without and with Process steps")
                .columns(columns)
                .rowsPerColumnBlock(ROWS_PER_BLOCK);
        List<Reconstruction> first = runs.get(0).result().reconstructions();
        for (int i = 0; i < first.size(); i++) {
            int label = first.get(i).label();
            INDArray own = privateTrain.imagesOf(label);
            List<INDArray> images = new ArrayList<>(List.of(own.get(NDArrayIndex.point(0)), own.mean(0)));
            StringBuilder caption = new StringBuilder(privateTrain.classNames().get(label));
            for (InversionRun.Summary s : runs) {
                Reconstruction r = s.result().reconstructions().get(i);
                images.add(r.image());
                caption.append(String.format(Locale.ROOT, "  p=%.2f", r.bestPLabel()));
            }
            g.row(caption.toString(), images);
        }
        g.write(png);
    }
}
