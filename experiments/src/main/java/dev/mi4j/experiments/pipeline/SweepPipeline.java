package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.experiments.config.ExperimentConfig;
import dev.mi4j.experiments.config.ExperimentConfig.TargetConfig;
import dev.mi4j.experiments.report.HtmlReport;
import dev.mi4j.experiments.sweep.LocalDispatcher;
import dev.mi4j.experiments.sweep.SweepRunner;
import dev.mi4j.experiments.sweep.TrialDispatcher;
import dev.mi4j.experiments.sweep.SweepSummary;
import dev.mi4j.experiments.sweep.Trial;
import dev.mi4j.experiments.sweep.TrialGenerator;
import dev.mi4j.experiments.sweep.TrialIds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An experiment config run as trials: one per target model and per candidate of the
 * {@code sweep:} section (one per target when there is none). The targets and the evaluator
 * are trained once and shared; trial ids hash the config and the trial's values, so a rerun in
 * the same folder skips finished trials and redoes interrupted ones.
 */
public final class SweepPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(SweepPipeline.class);

    private SweepPipeline() {
    }

    /** Result of a run: where it went and what ran. */
    public record Outcome(Path runDir, SweepSummary summary, int trials) {
    }

    /**
     * Where the trials run: {@code parallel} threads of this JVM, or, with {@code cluster} set (a
     * {@link ClusterDispatchers} name such as "spark"), that cluster at {@code master} with extra
     * {@code settings}.
     */
    public record Dispatch(int parallel, String cluster, String master, Map<String, String> settings) {

        public Dispatch {
            if (parallel < 1) {
                throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
            }
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }

        public static Dispatch local(int parallel) {
            return new Dispatch(parallel, null, null, Map.of());
        }

        public boolean onCluster() {
            return cluster != null;
        }
    }

    public static Outcome run(ExperimentConfig cfg, Path runDir, Optional<Path> dataPath, Path modelCache, int parallel,
                              boolean retryFailed, boolean quiet) {
        return run(cfg, null, runDir, dataPath, modelCache, Dispatch.local(parallel), retryFailed, quiet);
    }

    /**
     * @param configFile the file {@code cfg} was read from; needed on a cluster (executors read it
     *                   again, checksum-verified), may be null otherwise
     */
    public static Outcome run(ExperimentConfig cfg, Path configFile, Path runDir, Optional<Path> dataPath, Path modelCache,
                              Dispatch dispatch, boolean retryFailed, boolean quiet) {
        if (dispatch.onCluster() && configFile == null) {
            throw new IllegalArgumentException("configFile: needed to run trials on a cluster");
        }
        // Before any data is read or model trained: the cluster module is there.
        ClusterDispatchers.Provider cluster = dispatch.onCluster() ? ClusterDispatchers.find(dispatch.cluster()) : null;
        // The configured dataset, or under a protocol: section its private identities.
        ExperimentData experimentData = ExperimentData.load(cfg, dataPath.orElse(null));
        LoadedDataset data = experimentData.data();
        int[] labels = TargetSelection.parse(cfg.attack().targets(), data.images().classNames(), "attack.targets");
        // Parameters are validated before any training starts.
        cfg.attack().params();
        List<Trial> candidates = cfg.sweep() == null ? List.of(new Trial("", new LinkedHashMap<>()))
                : TrialGenerator.generate(cfg.sweep().toSpec(), "");
        for (Trial c : candidates) {
            cfg.attack().params(c.params());
        }
        // Before anything is trained: room for every trial's images, and memory for each model.
        // (Trials of one target count as separate inversions for the disk estimate.)
        List<TargetConfig> perTrial = new ArrayList<>();
        for (TargetConfig spec : cfg.targets()) {
            for (int i = 0; i < candidates.size(); i++) {
                perTrial.add(spec);
            }
        }
        Preflight.checkInversion(perTrial, data.images().shape(), data.images().numClasses(), labels.length, runDir);

        TargetProvider provider = new TargetProvider(modelCache, quiet);
        ExperimentContext ctx = ExperimentContext.prepare(data, cfg.split(), cfg.evaluator(), provider);
        Map<String, TargetModel> targets = new LinkedHashMap<>();
        Map<String, TargetConfig> targetSpecs = new LinkedHashMap<>();
        for (TargetConfig spec : cfg.targets()) {
            TargetModel m = provider.obtain(spec, data, cfg.split(), ctx.split());
            targets.put(m.provenance().architecture(), m);
            targetSpecs.put(m.provenance().architecture(), spec);
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        targets.forEach((name, m) -> provenance.put(name, m.provenance()));
        if (ctx.evaluator() != null) {
            provenance.put("evaluator", ctx.evaluator().provenance());
        }
        // The attacker's GAN prior, for an attack that needs one (validated with the config: a
        // protocol: section to train it on, or gan.model).
        AttackParams base = cfg.attack().params();
        GanProvider ganProvider = new GanProvider(modelCache, quiet);
        Gan gan = base.spec().needs(base).contains(AttackInputs.Need.GENERATOR)
                ? ganProvider.forConfig(cfg.gan(), experimentData.faces(), false, runDir) : null;
        if (gan != null) {
            provenance.put("gan", gan.provenance());
        }
        AtomicFiles.writeString(runDir.resolve(HtmlReport.PROVENANCE), Json.toJson(provenance));

        String fingerprint = fingerprint(cfg, data, labels, gan);
        List<Trial> trials = new ArrayList<>();
        for (String name : targets.keySet()) {
            for (Trial c : candidates) {
                LinkedHashMap<String, Object> params = new LinkedHashMap<>();
                params.put(AttackTrialExecutor.TARGET, name);
                params.putAll(c.params());
                trials.add(new Trial(TrialIds.of(fingerprint, params), params));
            }
        }
        LOG.info("{}: {} trials ({} targets x {} candidates) into {}", cfg.name(), trials.size(), targets.size(),
                candidates.size(), runDir);
        TrialDispatcher dispatcher;
        if (cluster != null) {
            // Executors load the models from their files, which obtain(...) above loaded or wrote.
            Map<String, Path> targetFiles = new LinkedHashMap<>();
            targetSpecs.forEach((name, spec) -> targetFiles.put(name, provider.fileFor(spec, data, cfg.split())));
            TrialEnvironment env = TrialEnvironment.describe(configFile, dataPath.orElse(null), experimentData, runDir,
                    targetFiles, cfg.evaluator() == null ? null : provider.fileFor(cfg.evaluator(), data, cfg.split()),
                    gan == null ? null : ganProvider.fileFor(cfg.gan(), experimentData.faces(), false));
            dispatcher = cluster.create(dispatch.master(), dispatch.settings(), env);
        } else {
            // With several trials at once their progress bars would interleave: only the sweep's shows.
            AttackTrialExecutor executor = new AttackTrialExecutor(ctx, targets, cfg.attack(), labels,
                    quiet || dispatch.parallel() > 1, experimentData.attackerPrior(ctx), gan);
            dispatcher = new LocalDispatcher(executor, dispatch.parallel());
        }
        SweepSummary summary;
        try {
            summary = new SweepRunner(runDir, dispatcher, quiet).retryFailed(retryFailed).run(trials);
        } finally {
            if (dispatcher instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {}: {}", dispatcher.describe(), e.getMessage());
                }
            }
        }
        HtmlReport.write(runDir);
        return new Outcome(runDir, summary, trials.size());
    }

    /**
     * What every trial of this config shares, hashed into the trial ids: the dataset's manifest,
     * the split, the evaluator, the fixed attack parameters and the identities attacked; under a
     * protocol also the protocol and the GAN prior (runs without them keep their old ids).
     */
    static String fingerprint(ExperimentConfig cfg, LoadedDataset data, int[] labels, Gan gan) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("dataset", data.resolved().manifestSha256());
        f.put("split", cfg.split());
        f.put("evaluator", cfg.evaluator());
        f.put("targets", cfg.targets());
        // The attack and all its parameters (ids of runs made before the attack registry differ:
        // they hashed MI-Face's parameters without its process step).
        f.put("attackName", cfg.attack().spec().name());
        f.put("attack", cfg.attack().params().asMap());
        f.put("labels", labels);
        if (cfg.protocol() != null) {
            f.put("protocol", cfg.protocol().spec().describe());
        }
        if (gan != null) {
            // What determines the GAN, not when or how fast it was trained.
            var g = gan.provenance();
            f.put("gan", java.util.Arrays.asList(g.datasetSha256(), g.architecture(), g.objective(), g.hyperparameters(),
                    g.imageShape().toString(), g.latentDim(), g.epochs()));
        }
        return Json.toJson(f);
    }
}
