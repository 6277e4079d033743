package dev.mi4j.experiments.pipeline;

import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackSpec;
import dev.mi4j.attacks.InversionAttack;
import dev.mi4j.attacks.InversionListener;
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
import dev.mi4j.core.model.Autoencoder;
import dev.mi4j.core.model.Classifier;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.GenerativePrior;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.core.progress.ProgressBar;
import dev.mi4j.experiments.report.InversionFiles;
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
 * One inversion of one target model: a registered attack over the chosen identities, the metrics of every
 * reconstruction, and the outputs (per identity {@code <out>/<identity>/} the reconstruction raw and
 * contrast-stretched, the first private training image and the identity mean, see
 * {@link InversionFiles}; {@code gallery.png} (paged beyond {@value #GALLERY_ROWS_PER_PAGE} identities),
 * {@code metrics.json}), each written atomically.
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
    /** Identities per gallery PNG page: more go to gallery-p2.png, ... (hundreds would make one enormous PNG). */
    static final int GALLERY_ROWS_PER_PAGE = 50;
    /** Gallery columns: private image, identity mean, the reconstruction raw and contrast-stretched. */
    static final List<String> GALLERY_COLUMNS = List.of("training image", "class mean", "reconstruction",
            "contrast-stretched");

    private InversionRun() {
    }

    /**
     * The attacked model as a run needs it: its white-box view (the "truth" a run's reconstructions
     * are scored on), its provenance for the result files, and the autoencoder a white-box
     * attacker has with a DAE target. A mi4j {@link TargetModel} is one ({@link #of}); a model
     * from elsewhere (an audit's imported model) is another.
     *
     * @param source       where it was loaded from, for messages
     * @param architecture its architecture name, for messages
     * @param classifier   the model itself (never modified); a {@link DifferentiableClassifier} for white-box runs
     * @param provenance   what is written as {@code targetProvenance} in metrics.json (any JSON-serialisable value)
     * @param testAccuracy its test accuracy, or null when unknown
     * @param autoencoder  the DAE target's autoencoder, or null
     */
    public record Subject(String source, String architecture, Classifier classifier, Object provenance,
                          Double testAccuracy, Autoencoder autoencoder) {

        public Subject {
            java.util.Objects.requireNonNull(classifier, "classifier");
        }

        public static Subject of(TargetModel m) {
            return new Subject(m.source(), m.provenance().architecture(), m.classifier(), m.provenance(),
                    m.provenance().testAccuracy(), m.autoencoder() == null ? null : m.autoencoder().autoencoder());
        }
    }

    /**
     * One run to make: which attack with which validated parameters, against which target, seen
     * how, on which identities.
     *
     * @param name             the run's name in tables and galleries (the target's, or a variant's label)
     * @param target           the attacked model (never modified)
     * @param attacker         the attacker's view of it: the model itself (white-box), or a policy
     *                         and gradient estimator in front of it (black-box)
     * @param attackerName     how the model was attacked, e.g. "white-box"
     * @param params           the attack and its validated parameters
     * @param labels           the identities attacked
     * @param recordTrajectory keep every target's cost trajectory (for cost curves)
     * @param whiteBox         the attacker has the target itself, and so what comes with it (the
     *                         DAE target's autoencoder, for Process-DAE); a black-box attacker has
     *                         only the answers of its view
     * @param generator        the attacker's GAN prior for attacks that need one (GMI), else null
     */
    public record Request(String name, Subject target, DifferentiableClassifier attacker, String attackerName,
                          AttackParams params, int[] labels, boolean recordTrajectory, boolean whiteBox,
                          GenerativePrior generator) {

        /** A white-box run: the attacker differentiates the target itself. */
        public static Request whiteBox(String name, TargetModel target, AttackParams params, int[] labels) {
            return new Request(name, Subject.of(target), target.classifier(), "white-box", params, labels, false, true, null);
        }

        /** A white-box run against any differentiable model: the attacker differentiates the model itself. */
        public static Request whiteBox(String name, Subject target, AttackParams params, int[] labels) {
            if (!(target.classifier() instanceof DifferentiableClassifier d)) {
                throw new IllegalArgumentException("target " + target.source() + ": no input gradients, no white-box run");
            }
            return new Request(name, target, d, "white-box", params, labels, false, true, null);
        }

        /** A black-box run: the attacker sees the target only through {@code view} (a policy, an estimator). */
        public static Request blackBox(String name, TargetModel target, DifferentiableClassifier view, String attackerName,
                                       AttackParams params, int[] labels) {
            return new Request(name, Subject.of(target), view, attackerName, params, labels, false, false, null);
        }

        /** A black-box run against any model, seen only through {@code view}. */
        public static Request blackBox(String name, Subject target, DifferentiableClassifier view, String attackerName,
                                       AttackParams params, int[] labels) {
            return new Request(name, target, view, attackerName, params, labels, false, false, null);
        }

        public Request withRecordTrajectory(boolean v) {
            return new Request(name, target, attacker, attackerName, params, labels, v, whiteBox, generator);
        }

        public Request withGenerator(GenerativePrior g) {
            return new Request(name, target, attacker, attackerName, params, labels, recordTrajectory, whiteBox, g);
        }
    }

    /**
     * Runs the request's attack, scores every reconstruction against the context's private
     * training images and evaluator, and writes the outputs to {@code outDir}.
     */
    public static Summary run(ExperimentContext ctx, Request req, Path outDir, boolean quiet) {
        return run(req, ctx.split().train(), ctx.evaluatorClassifier(), ctx.meanTrainingImage(), outDir, quiet);
    }

    /**
     * @param privateTrain the target's training images: reference for pixel metrics and galleries
     * @param evaluator    independent evaluation model, or null to skip classifier metrics
     * @param meanPrior    mean training image [c,h,w], for attacks that ask for a prior image; may be null
     */
    public static Summary run(Request req, LabeledImages privateTrain, DifferentiableClassifier evaluator,
                              INDArray meanPrior, Path outDir, boolean quiet) {
        String targetName = req.name();
        Subject target = req.target();
        DifferentiableClassifier attacker = req.attacker();
        String attackerName = req.attackerName();
        int[] targets = req.labels();
        AttackParams params = req.params();
        AttackSpec spec = params.spec();
        // Only a white-box attacker, who has the target itself, has the DAE target's autoencoder.
        AttackInputs inputs = new AttackInputs(attacker, meanPrior, req.whiteBox() ? target.autoencoder() : null, null,
                req.recordTrajectory(), req.generator());
        // The attack is made (and its inputs checked) before anything is written; it reports to
        // the progress bar started below.
        java.util.concurrent.atomic.AtomicReference<ProgressBar> barRef = new java.util.concurrent.atomic.AtomicReference<>();
        InversionListener listener = (iteration, active, meanCost) -> {
            ProgressBar bar = barRef.get();
            bar.set(iteration);
            bar.status(String.format(Locale.ROOT, "running %d/%d, mean cost %.4f", active, targets.length, meanCost));
        };
        InversionAttack attack;
        try {
            attack = spec.create(params, inputs.withListener(listener));
        } catch (IllegalArgumentException e) {
            throw new Mi4jException("target " + target.source() + " (" + target.architecture() + "): "
                    + e.getMessage(), e);
        }
        OutputFolder.prepare(outDir);
        long queriesBefore = attacker.queryCount();
        InversionResult result;
        int steps = params.iterations();
        try (ProgressBar bar = ProgressBar.start("invert " + targetName, steps > 0 ? steps : 1, quiet)) {
            barRef.set(bar);
            result = attack.invert(targets);
        }
        long modelQueries = attacker.queryCount() - queriesBefore;
        LOG.info("{} ({}): {} targets, {} gradient evaluations, {} model queries, {} ms", targetName, attackerName,
                targets.length, result.totalQueries(), modelQueries, result.millis());
        Classifier truth = target.classifier();
        double[] trueP = NetworkClassifier.labelProbabilities(truth.predict(result.images()), targets);
        double meanTrueP = java.util.Arrays.stream(trueP).average().orElse(Double.NaN);

        // The lineup is drawn with the attack's seed: the same run, the same lineups.
        long metricsSeed = params.seedOr(0L);
        ReconstructionReport report = new ReconstructionEvaluator(privateTrain, evaluator, metricsSeed)
                .evaluate(result.images(), targets);
        writeOutputs(targetName, attackerName, target, privateTrain, result, report, modelQueries, trueP, outDir);
        double testAcc = target.testAccuracy() == null ? Double.NaN : target.testAccuracy();
        return new Summary(targetName, attackerName, testAcc, result, report, modelQueries, meanTrueP, outDir);
    }

    private static void writeOutputs(String targetName, String attackerName, Subject target, LabeledImages privateTrain,
                                     InversionResult result, ReconstructionReport report, long modelQueries,
                                     double[] trueP, Path outDir) {
        Gallery.Builder gallery = Gallery.builder(result.attackName() + " (" + attackerName + ") on " + targetName + " (" + privateTrain.name() + ")")
                .columns(GALLERY_COLUMNS)
                // 40 identities as 4 blocks of 10 side by side, not one very tall column.
                .rowsPerColumnBlock(GALLERY_ROWS_PER_BLOCK);
        List<Map<String, Object>> perTarget = new ArrayList<>();
        for (int i = 0; i < result.reconstructions().size(); i++) {
            Reconstruction r = result.reconstructions().get(i);
            TargetMetrics m = report.targets().get(i);
            String identity = privateTrain.classNames().get(r.label());
            Path idDir = outDir.resolve(identity);
            INDArray own = privateTrain.imagesOf(r.label());
            INDArray firstTraining = own.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0));
            INDArray mean = own.mean(0);
            INDArray stretched = Images.contrastStretch(r.image());
            Images.writePng(r.image(), idDir.resolve(InversionFiles.RECONSTRUCTION_PNG));
            Images.writePng(stretched, idDir.resolve(InversionFiles.STRETCHED_PNG));
            // The private images beside each reconstruction, so galleries, reports and `mi4j figure`
            // can show them without loading the dataset again.
            Images.writePng(firstTraining, idDir.resolve(InversionFiles.TRAINING_PNG));
            Images.writePng(mean, idDir.resolve(InversionFiles.MEAN_PNG));
            String guess = m.evalTop1Label() == null ? null
                    : m.evalTop1Label() >= 0 && m.evalTop1Label() < privateTrain.classNames().size()
                    ? privateTrain.classNames().get(m.evalTop1Label()) : "#" + m.evalTop1Label();
            gallery.row(String.format(Locale.ROOT, "%s  it=%d", identity, r.iterations()),
                    List.of(firstTraining, mean, r.image(), stretched),
                    java.util.Arrays.asList(null, null,
                            String.format(Locale.ROOT, "p=%.3f SSIM=%.3f", r.bestPLabel(), m.ssimNearest()),
                            guess == null ? null : "top-1: " + guess + (m.evalTop1Correct() ? " (right)" : " (wrong)")));
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
            row.put("evalTop1Identity", guess);
            row.put("metrics", m);
            perTarget.add(row);
        }
        gallery.writePaged(outDir.resolve("gallery.png"), GALLERY_ROWS_PER_PAGE);
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
