package dev.mi4j.experiments.cli;

import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.RunLabel;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.core.train.DaeConfig;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.defenses.output.OutputPolicies;
import dev.mi4j.experiments.attribute.AttributeStudy;
import dev.mi4j.experiments.attribute.AttributeStudyConfig;
import dev.mi4j.experiments.config.BlackBoxConfig;
import dev.mi4j.experiments.config.ConfigLoader;
import dev.mi4j.experiments.pipeline.CountermeasureStudy;
import dev.mi4j.experiments.pipeline.DefenseStudy;
import dev.mi4j.experiments.config.ExperimentConfig;
import dev.mi4j.experiments.config.ExperimentConfig.TargetConfig;
import dev.mi4j.experiments.pipeline.ExperimentContext;
import dev.mi4j.experiments.pipeline.InversionRun;
import dev.mi4j.experiments.pipeline.OutputFolder;
import dev.mi4j.experiments.pipeline.Preflight;
import dev.mi4j.experiments.pipeline.TargetProvider;
import dev.mi4j.experiments.pipeline.TargetSelection;
import dev.mi4j.experiments.report.TextTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mi4j reproduce: a paper's experiment end to end from its config in configs/. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce a published experiment from configs/<NAME>.yaml: train or reuse the targets, attack, score, write galleries, print the table.")
final class ReproduceCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ReproduceCommand.class);

    /** Iterations of a --quick run: enough to see faces emerge from the softmax target. */
    static final int QUICK_ALPHA = 300;
    /** Evaluator epochs of a --quick run. */
    static final int QUICK_EVAL_EPOCHS = 10;
    /** Autoencoder pretraining epochs of a DAE target in a --quick run (the full run: {@link DaeConfig#defaults()}). */
    static final int QUICK_PRETRAIN_EPOCHS = 8;
    /** Fine-tuning epochs of a DAE target in a --quick run. */
    static final int QUICK_DAE_EPOCHS = 20;
    /** Black-box targets of a --quick run (each costs 2 x samples + 1 queries per step). */
    static final int QUICK_BLACKBOX_TARGETS = 4;
    /** Epochs of each defended target in a --quick run (only the first architecture's targets train). */
    static final int QUICK_DEFENSE_EPOCHS = 10;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "A config name in configs/ (e.g. fredrikson2015) or a path to a YAML file.")
    String name;

    @Option(names = "--quick", description = "Smoke run: at most " + QUICK_ALPHA + " iterations and a briefly trained evaluator (for CI and demos; figures are not the paper's).")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the config's output).")
    Path out;

    @Option(names = "--data-path", paramLabel = "DIR", description = "Explicit dataset folder.")
    Path dataPath;

    @Option(names = "--cache", paramLabel = "DIR", description = "Model cache folder (default: $MI4J_CACHE/models or ~/.cache/mi4j/models).")
    Path cache;

    @Override
    public Integer call() {
        common.apply();
        long start = System.nanoTime();
        Path configFile = ConfigLoader.locate(name, Main.home().resolve("configs"));
        if (AttributeStudyConfig.isStudy(configFile)) {   // study: attribute-inference (CCS 2015 Section 4)
            return AttributeStudy.reproduce(configFile, quick, out, dataPath);
        }
        ExperimentConfig cfg = ConfigLoader.load(configFile);
        if (cfg.attacks() != null || cfg.protocol() != null) {
            // Several attacks side by side (GMI's study): their own runner, tables and galleries.
            return StudyOutput.run(cfg, configFile, new dev.mi4j.experiments.pipeline.AttackStudy.Options(quick,
                    out != null ? out : Path.of(cfg.output() + (quick ? "-quick" : "")), dataPath,
                    cache != null ? cache : TargetProvider.defaultCacheDir(), common.quiet()), start);
        }
        AttackParams params = cfg.attack().params();
        TargetConfig evalSpec = cfg.evaluator();
        if (quick) {
            params = params.withIterationsAtMost(QUICK_ALPHA);
            if (evalSpec.architecture() != null) {
                evalSpec = new TargetConfig(evalSpec.architecture(), null, evalSpec.seed(), QUICK_EVAL_EPOCHS, evalSpec.learningRate());
            }
        }
        Path outDir = out != null ? out : Path.of(cfg.output() + (quick ? "-quick" : ""));
        LOG.info("reproducing {} from {} into {}", cfg.name(), configFile, outDir);

        LoadedDataset data = cfg.dataset().load(Optional.ofNullable(dataPath));
        TargetProvider provider = new TargetProvider(cache != null ? cache : TargetProvider.defaultCacheDir(), common.quiet());
        int[] labels = TargetSelection.parse(cfg.attack().targets(), data.images().classNames(), "attack.targets");
        Preflight.checkInversion(cfg.targets(), data.images().shape(), data.images().numClasses(), labels.length, outDir);
        ExperimentContext ctx = ExperimentContext.prepare(data, cfg.split(), evalSpec, provider);

        List<InversionRun.Summary> summaries = new ArrayList<>();
        Map<String, TargetModel> models = new LinkedHashMap<>();
        // Every run as a row of the defense study (shown when some target has a training defense).
        List<DefenseStudy.Row> defenseRows = new ArrayList<>();
        Map<String, String> defenses = new LinkedHashMap<>();   // target name -> defense spec (null: none)
        for (TargetConfig configured : quick ? quickTargets(cfg.targets()) : cfg.targets()) {
            TargetConfig spec = quick ? quickSpec(configured) : configured;
            TargetModel target = provider.obtain(spec, data, cfg.split(), ctx.split());
            // A defended target is named by its defense too: several of one architecture may be attacked.
            String targetName = target.provenance().architecture() + (spec.defense() == null ? "" : " " + spec.defense());
            if (models.containsKey(targetName)) {
                throw new Mi4jException("targets: two targets are both '" + targetName + "' (give one a seed or defense of its own)");
            }
            models.put(targetName, target);
            defenses.put(targetName, spec.defense());
            List<Map<String, Object>> variants = cfg.variants(spec);
            List<InversionRun.Summary> runs = new ArrayList<>();
            List<RunLabel> described = new ArrayList<>();
            java.util.Set<String> folders = new java.util.HashSet<>();
            for (Map<String, Object> overrides : variants) {
                AttackParams p = cfg.attack().params(overrides);
                if (quick) {
                    p = p.withIterationsAtMost(QUICK_ALPHA);
                }
                RunLabel v = p.spec().label(targetName, p, overrides);
                String safe = OutputFolder.safeName(v.folder());
                String folder = folders.add(safe) ? safe : safe + "-" + runs.size();
                described.add(v);
                runs.add(InversionRun.run(ctx, InversionRun.Request.whiteBox(v.label(), target, p, labels),
                        outDir.resolve(folder), common.quiet()));
            }
            summaries.addAll(runs);
            runs.forEach(r -> defenseRows.add(DefenseStudy.row(target, spec.defense(), r)));
            if (runs.size() > 1) {
                VariantComparison.write(targetName, described, runs, ctx.split().train(),
                        outDir.resolve(targetName + "-process-comparison.png"));
            }
        }
        List<CountermeasureStudy.Point> curve = List.of();
        if (cfg.blackbox() != null) {
            BlackBoxConfig bb = quick ? cfg.blackbox().quick() : cfg.blackbox();
            AttackParams bbParams = bb.apply(params);
            int[] bbLabels = TargetSelection.parse(bb.targets(), data.images().classNames(), "blackbox.targets");
            if (quick) {
                bbLabels = java.util.Arrays.copyOf(bbLabels, Math.min(bbLabels.length, QUICK_BLACKBOX_TARGETS));
            }
            for (Map.Entry<String, TargetModel> m : models.entrySet()) {
                // No Process step: a black-box attacker has the model's confidences, not its autoencoder.
                InversionRun.Summary s = InversionRun.run(ctx, InversionRun.Request.blackBox(m.getKey(), m.getValue(),
                                bb.attackerView(m.getValue().classifier(), OutputPolicies.identity()), "black-box " + bb.describe(),
                                bbParams, bbLabels),
                        outDir.resolve(OutputFolder.safeName(m.getKey()) + "-blackbox"), common.quiet());
                summaries.add(s);
                defenseRows.add(DefenseStudy.row(m.getValue(), defenses.get(m.getKey()), s));
            }
            if (cfg.countermeasures() != null) {
                curve = new CountermeasureStudy(bb, cfg.countermeasures(), quick).run(models, ctx, bbParams, outDir, common.quiet());
            }
        }
        TextTable table = table(summaries);
        boolean defenseStudy = defenses.values().stream().anyMatch(java.util.Objects::nonNull);
        if (defenseStudy) {
            DefenseStudy.plot(defenseRows, outDir.resolve("privacy-utility.png"), labels.length + " identities"
                    + (quick ? ", quick run" : ""));
            DefenseStudy.galleries(defenseRows, ctx.split().train(), outDir);
            table = DefenseStudy.table(defenseRows);
        }
        writeSummary(cfg, configFile, params, ctx, summaries, curve, table, outDir, quick);
        Path report = dev.mi4j.experiments.report.HtmlReport.write(outDir);
        System.out.println(cfg.name() + (quick ? " (quick)" : "") + ": " + cfg.description());
        System.out.print(table);
        if (defenseStudy) {
            System.out.println("privacy-utility plot: " + outDir.resolve("privacy-utility.png"));
        }
        if (!curve.isEmpty()) {
            System.out.println();
            System.out.println("countermeasure: black-box " + params.spec().name() + " against confidences rounded to r (" + outDir.resolve("countermeasures.png") + ")");
            System.out.print(CountermeasureStudy.table(curve));
        }
        System.out.printf(Locale.ROOT, "evaluation model: %s, test accuracy %s%nresults: %s (total %.1f s)%n",
                ctx.evaluator() == null ? "none" : ctx.evaluator().provenance().architecture(),
                TextTable.number("%.4f", ctx.evaluator() == null || ctx.evaluator().provenance().testAccuracy() == null
                        ? Double.NaN : ctx.evaluator().provenance().testAccuracy()),
                outDir, (System.nanoTime() - start) / 1e9);
        System.out.println("report: " + report);
        return 0;
    }

    /**
     * A --quick run trains pretrained targets (DAE) briefly: their pretraining dominates a cold
     * run. Softmax and MLP keep their full training (cached after the first run).
     */
    /**
     * The targets of a --quick run: all of them, unless some have a training defense (a defense
     * study trains dozens of models): then only the first architecture's targets, at most
     * {@value #QUICK_DEFENSE_EPOCHS} epochs each.
     */
    static List<TargetConfig> quickTargets(List<TargetConfig> targets) {
        if (targets.stream().noneMatch(t -> t.defense() != null)) {
            return targets;
        }
        String first = targets.get(0).architecture();
        List<TargetConfig> out = new ArrayList<>();
        for (TargetConfig t : targets) {
            if (first != null && first.equals(t.architecture())) {
                out.add(new TargetConfig(t.architecture(), null, t.seed(),
                        t.epochs() == null ? QUICK_DEFENSE_EPOCHS : Math.min(t.epochs(), QUICK_DEFENSE_EPOCHS), t.learningRate(),
                        t.pretrainEpochs(), t.variants(), t.defense()));
            }
        }
        return out;
    }

    static TargetConfig quickSpec(TargetConfig spec) {
        if (spec.architecture() == null || Architecture.parse(spec.architecture()) != Architecture.DAE) {
            return spec;
        }
        return new TargetConfig(spec.architecture(), null, spec.seed(),
                spec.epochs() == null ? QUICK_DAE_EPOCHS : Math.min(spec.epochs(), QUICK_DAE_EPOCHS), spec.learningRate(),
                spec.pretrainEpochs() == null ? QUICK_PRETRAIN_EPOCHS : Math.min(spec.pretrainEpochs(), QUICK_PRETRAIN_EPOCHS),
                spec.variants(), spec.defense());
    }

    static TextTable table(List<InversionRun.Summary> summaries) {
        TextTable t = new TextTable(List.of("model", "attack", "test acc", "mean iterations", "queries", "mean best p_label",
                "top-1 attack acc", "lineup acc", "SSIM to mean", "time"));
        for (InversionRun.Summary s : summaries) {
            var a = s.report().aggregate();
            t.row(List.of(s.target(), s.attacker().startsWith("black-box") ? "black-box" : s.attacker(), pct(s.testAccuracy()),
                    String.format(Locale.ROOT, "%.0f", s.meanIterations()), String.format(Locale.ROOT, "%,d", s.modelQueries()),
                    String.format(Locale.ROOT, "%.3f", s.meanBestPLabel()), pct(a.top1Accuracy()), pct(a.lineupAccuracy()),
                    String.format(Locale.ROOT, "%.3f", a.meanSsimMean()),
                    String.format(Locale.ROOT, "%.1f s", s.result().millis() / 1000.0)));
        }
        return t;
    }

    static String pct(double v) {
        return TextTable.percent(v);
    }

    private static void writeSummary(ExperimentConfig cfg, Path configFile, AttackParams params, ExperimentContext ctx,
                                     List<InversionRun.Summary> summaries, List<CountermeasureStudy.Point> curve,
                                     TextTable table, Path outDir, boolean quick) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("experiment", cfg.name());
        doc.put("config", configFile.toString());
        doc.put("quick", quick);
        doc.put("attack", params.spec().name());
        doc.put("params", params.asMap());
        doc.put("dataset", Map.of("name", ctx.data().images().name(), "manifestSha256", ctx.data().resolved().manifestSha256(),
                "split", ctx.split().description()));
        doc.put("backend", BackendInfo.describe());
        doc.put("evaluator", ctx.evaluator() == null ? null : ctx.evaluator().provenance());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (InversionRun.Summary s : summaries) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("model", s.target());
            r.put("attacker", s.attacker());
            r.put("process", s.result().params().get("process"));
            r.put("folder", outDir.relativize(s.outDir()).toString());
            r.put("modelQueries", s.modelQueries());
            r.put("meanTruePLabel", s.meanTrueP());
            r.put("targets", s.result().reconstructions().size());
            r.put("testAccuracy", s.testAccuracy());
            r.put("meanIterations", s.meanIterations());
            r.put("meanBestPLabel", s.meanBestPLabel());
            r.put("attackMillis", s.result().millis());
            r.put("gradientEvaluations", s.result().totalQueries());
            r.put("aggregate", s.report().aggregate());
            rows.add(r);
        }
        doc.put("results", rows);
        doc.put("countermeasures", curve);
        AtomicFiles.writeString(outDir.resolve("summary.json"), Json.toJson(doc));
        AtomicFiles.writeString(outDir.resolve("summary.txt"), table.toString());
    }
}
