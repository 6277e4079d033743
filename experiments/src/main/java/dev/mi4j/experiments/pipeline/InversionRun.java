package dev.mi4j.experiments.pipeline;

import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.miface.MiFace;
import dev.mi4j.attacks.miface.MiFaceParams;
import dev.mi4j.attacks.miface.process.ProcessStep;
import dev.mi4j.attacks.miface.process.ProcessStepSpecs;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.attacks.StopReason;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.Gallery;
import dev.mi4j.core.image.Images;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.metrics.ReconstructionEvaluator;
import dev.mi4j.core.metrics.ReconstructionReport;
import dev.mi4j.core.metrics.TargetMetrics;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.core.progress.ProgressBar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inversion of one target model: MI-Face over the chosen identities, the metrics of every
 * reconstruction, and the outputs ({@code <out>/<identity>/reconstruction.png},
 * {@code gallery.png}, {@code metrics.json}), each written atomically.
 */
public final class InversionRun {

    private static final Logger LOG = LoggerFactory.getLogger(InversionRun.class);

    /**
     * What one run produced, for tables.
     *
     * @param attacker     how the model was attacked, e.g. "white-box" or "black-box NES ..."
     * @param modelQueries images the attacker sent to the model (perturbed probes included)
     * @param meanTrueP    mean p_label of the best reconstructions under the unaltered model
     *                     (what the attacker saw may be rounded or estimated)
     */
    public record Summary(String target, String attacker, double testAccuracy, InversionResult result,
                          ReconstructionReport report, long modelQueries, double meanTrueP, Path outDir) {

        public double meanIterations() {
            return result.reconstructions().stream().mapToInt(Reconstruction::iterations).average().orElse(Double.NaN);
        }

        /** Targets stopped by a NaN or infinity (their image is the best finite iterate). */
        public int diverged() {
            return (int) result.reconstructions().stream().filter(r -> r.stopReason() == StopReason.DIVERGED).count();
        }

        public double meanBestPLabel() {
            return result.reconstructions().stream().mapToDouble(Reconstruction::bestPLabel).average().orElse(Double.NaN);
        }
    }

    static final int GALLERY_ROWS_PER_BLOCK = 10;

    private InversionRun() {
    }

    /** White-box MI-Face: the attacker differentiates the target itself. */
    public static Summary run(String targetName, TargetModel target, LabeledImages privateTrain,
                              DifferentiableClassifier evaluator, MiFaceParams params, String process, int[] targets,
                              INDArray meanPrior, long metricsSeed, Path outDir, boolean quiet) {
        return run(targetName, target, target.classifier(), "white-box", privateTrain, evaluator, params, process,
                targets, meanPrior, metricsSeed, outDir, quiet);
    }

    /**
     * The Process step of a spec ({@link ProcessStepSpecs}) for attacks on {@code target}; a
     * {@code dae} step uses the target's autoencoder.
     *
     * @throws Mi4jException naming the target when the spec needs an autoencoder it lacks
     */
    public static ProcessStep processStep(String spec, TargetModel target) {
        try {
            return ProcessStepSpecs.parse(spec, target.autoencoder() == null ? null : target.autoencoder().autoencoder());
        } catch (IllegalArgumentException e) {
            throw new Mi4jException("target " + target.source() + " (" + target.provenance().architecture() + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param target        the attacked model (never modified)
     * @param attacker      the attacker's view of it: the model itself (white-box), or a policy
     *                      and gradient estimator in front of it (black-box)
     * @param privateTrain  the target's training images: reference for pixel metrics and galleries
     * @param evaluator     independent evaluation model, or null to skip classifier metrics
     * @param process       Process step spec applied after every gradient step ("identity" for none)
     * @param meanPrior     mean training image [c,h,w], used when params.init() is MEAN; may be null otherwise
     */
    public static Summary run(String targetName, TargetModel target, DifferentiableClassifier attacker, String attackerName,
                              LabeledImages privateTrain, DifferentiableClassifier evaluator, MiFaceParams params,
                              String process, int[] targets, INDArray meanPrior, long metricsSeed, Path outDir,
                              boolean quiet) {
        ProcessStep step = processStep(process, target);
        OutputFolder.prepare(outDir);
        long queriesBefore = attacker.queryCount();
        MiFace attack = new MiFace(attacker, params).process(step);
        if (meanPrior != null && params.init().needsPrior()) {
            attack.prior(meanPrior);
        }
        InversionResult result;
        try (ProgressBar bar = ProgressBar.start("invert " + targetName, params.alpha(), quiet)) {
            attack.listener((iteration, active, meanCost) -> {
                bar.set(iteration);
                bar.status(String.format(Locale.ROOT, "running %d/%d, mean cost %.4f", active, targets.length, meanCost));
            });
            result = attack.invert(targets);
        }
        long modelQueries = attacker.queryCount() - queriesBefore;
        LOG.info("{} ({}): {} targets, {} gradient evaluations, {} model queries, {} ms", targetName, attackerName,
                targets.length, result.totalQueries(), modelQueries, result.millis());
        NetworkClassifier truth = target.classifier();
        double[] trueP = NetworkClassifier.labelProbabilities(truth.predict(result.images()), targets);
        double meanTrueP = java.util.Arrays.stream(trueP).average().orElse(Double.NaN);

        ReconstructionReport report = new ReconstructionEvaluator(privateTrain, evaluator, metricsSeed)
                .evaluate(result.images(), targets);
        writeOutputs(targetName, attackerName, target, privateTrain, result, report, modelQueries, trueP, outDir);
        double testAcc = target.provenance().testAccuracy() == null ? Double.NaN : target.provenance().testAccuracy();
        return new Summary(targetName, attackerName, testAcc, result, report, modelQueries, meanTrueP, outDir);
    }

    private static void writeOutputs(String targetName, String attackerName, TargetModel target, LabeledImages privateTrain,
                                     InversionResult result, ReconstructionReport report, long modelQueries,
                                     double[] trueP, Path outDir) {
        Gallery.Builder gallery = Gallery.builder("MI-Face (" + attackerName + ") on " + targetName + " (" + privateTrain.name() + ")")
                .columns(List.of("training image", "class mean", "reconstruction"))
                // 40 identities as 4 blocks of 10 side by side, not one very tall column.
                .rowsPerColumnBlock(GALLERY_ROWS_PER_BLOCK);
        List<Map<String, Object>> perTarget = new ArrayList<>();
        for (int i = 0; i < result.reconstructions().size(); i++) {
            Reconstruction r = result.reconstructions().get(i);
            TargetMetrics m = report.targets().get(i);
            String identity = privateTrain.classNames().get(r.label());
            Images.writePng(r.image(), outDir.resolve(identity).resolve("reconstruction.png"));
            INDArray own = privateTrain.imagesOf(r.label());
            INDArray firstTraining = own.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0));
            INDArray mean = own.mean(0);
            gallery.row(String.format(Locale.ROOT, "%s  p=%.3f  it=%d", identity, r.bestPLabel(), r.iterations()),
                    List.of(firstTraining, mean, r.image()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("identity", identity);
            row.put("label", r.label());
            row.put("bestCost", r.bestCost());
            row.put("bestPLabel", r.bestPLabel());
            row.put("bestIteration", r.bestIteration());
            row.put("iterations", r.iterations());
            row.put("gradientEvaluations", r.queries());
            // Every evaluation costs the same images per target (1 white-box, 2 x pairs + 1 black-box).
            row.put("modelQueries", result.totalQueries() == 0 ? 0 : r.queries() * (modelQueries / result.totalQueries()));
            row.put("truePLabel", trueP[i]);
            row.put("stopReason", r.stopReason().name());
            row.put("metrics", m);
            perTarget.add(row);
        }
        gallery.write(outDir.resolve("gallery.png"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("target", targetName);
        doc.put("targetProvenance", target.provenance());
        doc.put("attack", result.attackName());
        doc.put("attacker", attackerName);
        doc.put("params", result.params());
        doc.put("gradientEvaluations", result.totalQueries());
        doc.put("modelQueries", modelQueries);
        doc.put("attackMillis", result.millis());
        doc.put("meanTruePLabel", java.util.Arrays.stream(trueP).average().orElse(Double.NaN));
        // Diverged targets stay in the aggregate with their best finite iterate (x_0 at worst); the
        // counts say how many, so a mean over partly diverged runs is not mistaken for a clean one.
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        for (Reconstruction r : result.reconstructions()) {
            reasons.merge(r.stopReason().name(), 1, Integer::sum);
        }
        int diverged = reasons.getOrDefault(StopReason.DIVERGED.name(), 0);
        if (diverged > 0) {
            LOG.warn("{}: {} of {} targets diverged (NaN or infinity); their best finite iterates are kept", targetName,
                    diverged, result.reconstructions().size());
        }
        doc.put("stopReasons", reasons);
        doc.put("diverged", diverged);
        doc.put("aggregate", report.aggregate());
        doc.put("targets", perTarget);
        AtomicFiles.writeString(outDir.resolve("metrics.json"), Json.toJson(doc));
    }
}
