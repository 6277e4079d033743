package dev.mi4j.experiments.pipeline;

import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.metrics.AggregateMetrics;
import dev.mi4j.core.model.GenerativePrior;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.experiments.config.AttackConfig;
import dev.mi4j.experiments.sweep.Trial;
import dev.mi4j.experiments.sweep.TrialExecutor;
import dev.mi4j.experiments.sweep.TrialOutcome;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One sweep trial: the config's attack with the trial's parameters against the trial's target, its
 * reconstructions, gallery and metrics in the trial folder, plus {@code cost_curve.csv} and a
 * snapshot of the resolved configuration. Targets and evaluator are shared by all trials and
 * only read.
 */
public final class AttackTrialExecutor implements TrialExecutor {

    /** The swept parameter that names the target model. */
    public static final String TARGET = "target";

    private final ExperimentContext ctx;
    private final Map<String, TargetModel> targets;
    private final AttackConfig attack;
    private final int[] labels;
    private final boolean quiet;
    private final INDArray prior;
    private final GenerativePrior generator;

    /**
     * @param prior     the attacker's prior image (MI-Face's mean init; the mean public face under the protocol)
     * @param generator the attacker's GAN prior for attacks that need one (GMI), else null
     */
    public AttackTrialExecutor(ExperimentContext ctx, Map<String, TargetModel> targets, AttackConfig attack, int[] labels,
                               boolean quiet, INDArray prior, GenerativePrior generator) {
        this.ctx = ctx;
        this.targets = Map.copyOf(targets);
        this.attack = attack;
        this.labels = labels.clone();
        this.quiet = quiet;
        this.prior = prior;
        this.generator = generator;
    }

    @Override
    public TrialOutcome execute(Trial trial, Path trialDir) {
        Map<String, Object> overrides = new LinkedHashMap<>(trial.params());
        String targetName = String.valueOf(overrides.remove(TARGET));
        TargetModel target = targets.get(targetName);
        AttackParams params = attack.params(overrides);
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("trial", trial.id());
        snapshot.put("target", targetName);
        snapshot.put("attack", params.spec().name());
        snapshot.put("params", params.asMap());
        snapshot.put("targets", labels);
        snapshot.put("dataset", ctx.data().images().name());
        snapshot.put("split", ctx.split().description());
        AtomicFiles.writeString(trialDir.resolve("config.json"), Json.toJson(snapshot));

        InversionRun.Request req = InversionRun.Request.whiteBox(targetName, target, params, labels).withRecordTrajectory(true);
        if (params.spec().needs(params).contains(AttackInputs.Need.GENERATOR)) {
            if (generator == null) {
                throw new IllegalStateException("attack " + params.spec().name() + " needs a GAN prior; none was given");
            }
            req = req.withGenerator(generator);
        }
        InversionRun.Summary s = InversionRun.run(req, ctx.split().train(), ctx.evaluatorClassifier(), prior, trialDir, quiet);
        writeCostCurve(s.result().reconstructions(), trialDir.resolve("cost_curve.csv"));

        AggregateMetrics a = s.report().aggregate();
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("test_accuracy", s.testAccuracy());
        m.put("mean_iterations", s.meanIterations());
        m.put("mean_best_p", s.meanBestPLabel());
        m.put("top1_accuracy", a.top1Accuracy());
        m.put("top5_accuracy", a.top5Accuracy());
        m.put("lineup_accuracy", a.lineupAccuracy());
        m.put("ssim_mean", a.meanSsimMean());
        m.put("ssim_nearest", a.meanSsimNearest());
        m.put("psnr_mean", a.meanPsnrMean());
        m.put("mse_nearest", a.meanMseNearest());
        m.put("feature_distance", a.meanFeatureDistanceNearest());
        m.put("diverged", s.diverged());
        // Wall time is left to the runner: results.csv keeps only deterministic columns of ours.
        return TrialOutcome.ok(m, s.result().millis(), s.modelQueries());
    }

    /** Mean cost over targets per iteration; a target that stopped keeps its last cost. */
    static void writeCostCurve(List<Reconstruction> recs, Path csv) {
        int len = recs.stream().mapToInt(r -> r.costTrajectory() == null ? 0 : r.costTrajectory().length).max().orElse(0);
        StringBuilder sb = new StringBuilder("iteration,mean_cost\n");
        for (int i = 0; i < len; i++) {
            double sum = 0;
            int n = 0;
            for (Reconstruction r : recs) {
                double[] c = r.costTrajectory();
                if (c == null || c.length == 0) {
                    continue;
                }
                double v = c[Math.min(i, c.length - 1)];
                if (Double.isFinite(v)) {
                    sum += v;
                    n++;
                }
            }
            sb.append(i).append(',').append(n == 0 ? "" : String.format(Locale.ROOT, "%.6g", sum / n)).append('\n');
        }
        AtomicFiles.writeString(csv, sb.toString());
    }
}
