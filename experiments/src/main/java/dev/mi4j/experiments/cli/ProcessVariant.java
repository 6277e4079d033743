package dev.mi4j.experiments.cli;

import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.attacks.miface.process.ProcessStepSpecs;
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
 * One white-box run of a target among its variants: its name in tables ({@code dae},
 * {@code dae + process dae, lambda 100}), its column in the comparison gallery ({@code no process
 * step}, {@code process dae, lambda 100}) and its output folder ({@code dae}, {@code dae-process-dae}).
 */
record ProcessVariant(String label, String column, String folder) {

    /** Rows per column block of the comparison gallery, as in a run's own gallery. */
    private static final int ROWS_PER_BLOCK = 10;

    /**
     * The variant of {@code target} attacked with {@code process} and the attack-parameter
     * {@code overrides} (which may hold "process" too). Two variants with the same process steps
     * get the same folder: the caller keeps them apart.
     */
    static ProcessVariant of(String target, String process, Map<String, Object> overrides) {
        List<String> names = ProcessStepSpecs.stepNames(process);
        List<String> parts = new ArrayList<>();
        if (!names.isEmpty()) {
            parts.add("process " + String.join("+", names));
        }
        overrides.forEach((k, v) -> {
            if (!k.equals("process")) {
                parts.add(k + " " + v);
            }
        });
        String label = target + (parts.isEmpty() ? "" : (names.isEmpty() ? ", " : " + ") + String.join(", ", parts));
        String column = parts.isEmpty() ? "no process step" : String.join(", ", parts);
        String folder = names.isEmpty() ? target : target + "-process-" + String.join("-", names);
        return new ProcessVariant(label, column, folder);
    }

    /**
     * One gallery with the target's reconstructions under every variant side by side, per
     * identity: a training image, the class mean, then one reconstruction per variant.
     */
    static void writeComparison(String target, List<ProcessVariant> variants, List<InversionRun.Summary> runs,
                                LabeledImages privateTrain, Path png) {
        List<String> columns = new ArrayList<>(List.of("training image", "class mean"));
        for (ProcessVariant v : variants) {
            columns.add(v.column());
        }
        Gallery.Builder g = Gallery.builder("MI-Face (white-box) on " + target + " (" + privateTrain.name()
                        + "): without and with Process steps")
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
