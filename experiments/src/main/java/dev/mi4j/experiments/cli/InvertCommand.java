package dev.mi4j.experiments.cli;

import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.GanStore;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.datasets.PublicPrivateProtocol;
import dev.mi4j.experiments.config.AttackConfig;
import dev.mi4j.experiments.config.ExperimentConfig.TargetConfig;
import dev.mi4j.experiments.pipeline.ExperimentContext;
import dev.mi4j.experiments.pipeline.ExperimentData;
import dev.mi4j.experiments.pipeline.InversionRun;
import dev.mi4j.experiments.pipeline.Preflight;
import dev.mi4j.experiments.pipeline.TargetProvider;
import dev.mi4j.experiments.pipeline.TargetSelection;
import dev.mi4j.experiments.report.TextTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** mi4j invert: one registered attack (MI-Face by default) against one model. */
@Command(name = "invert", mixinStandardHelpOptions = true,
        description = "Run an inversion attack (default: MI-Face, Fredrikson et al., CCS 2015, Algorithm 1) against a model and"
                + " write reconstructions, a gallery and metrics.json. 'mi4j attacks' lists the attacks and their parameters.")
final class InvertCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions data;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A model .zip written by mi4j train, or an architecture (softmax, mlp, cnn, dae, eval) to train or reuse from the cache.")
    String model;

    @Option(names = "--targets", defaultValue = "all", paramLabel = "LIST",
            description = "all, or labels/identity names separated by commas (e.g. 0,5,7 or s1,s6). Default: ${DEFAULT-VALUE}.")
    String targets;

    @Option(names = "--attack", paramLabel = "NAME", description = "The attack (see 'mi4j attacks'). Default: the default attack (mi-face).")
    String attack;

    @Option(names = {"-P", "--param"}, paramLabel = "KEY=VALUE",
            description = "A parameter of the attack, repeatable (e.g. -P lambda=0.5 -P init=uniform); 'mi4j attacks' lists them."
                    + " The MI-Face options below are shorthands for the same keys.")
    Map<String, String> attackParams = new LinkedHashMap<>();

    @Option(names = "--alpha", paramLabel = "N", description = "Maximum iterations. Default (paper): 5000.")
    Integer alpha;

    @Option(names = "--beta", paramLabel = "N", description = "No-progress window. Default (paper): 100.")
    Integer beta;

    @Option(names = "--gamma", paramLabel = "P", description = "Stop once p_label >= gamma (see --gamma-mode). Default (paper): 0.99.")
    Double gamma;

    @Option(names = "--gamma-mode", paramLabel = "MODE",
            description = "confidence (stop when p_label >= gamma, default) or literal_cost (stop when cost <= gamma, as printed in the paper).")
    String gammaMode;

    @Option(names = "--lambda", paramLabel = "X", description = "Gradient step size. Default (paper): 0.1.")
    Double lambda;

    @Option(names = "--init", paramLabel = "INIT", description = "zeros (paper), uniform, or mean (training-set mean image).")
    String init;

    @Option(names = "--objective", paramLabel = "OBJ", description = "one_minus_p (paper), neg_log_p, neg_logit or margin.")
    String objective;

    @Option(names = "--seed", paramLabel = "N", description = "Attack seed (uniform init).")
    Long seed;

    @Option(names = "--process", paramLabel = "SPEC",
            description = "Process step after every gradient step: identity, denoise[:h=10,template=7,search=21], "
                    + "sharpen[:amount=1,sigma=1], dae[:h=..,amount=..] (Process-DAE; needs a DAE target), or a '+' chain "
                    + "such as denoise+sharpen. Default: identity.")
    String process;

    @Option(names = "--gan", paramLabel = "FILE",
            description = "The attacker's GAN prior, for attacks that need one (gmi): a GAN saved by 'mi4j train --model gan' "
                    + "(its image size must be the dataset's: e.g. --dataset private-faces for the default 32x32 GAN).")
    Path ganFile;

    @Option(names = "--evaluator", defaultValue = "eval", paramLabel = "MODEL",
            description = "Independent evaluation model: a .zip, an architecture to train or reuse, or none. Default: ${DEFAULT-VALUE}.")
    String evaluator;

    @Mixin
    SplitOptions splitOptions;


    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        common.apply();
        // The options mean what the config's attack section means: one place validates both.
        Map<String, Object> values = new LinkedHashMap<>(attackParams);
        putIfSet(values, "alpha", alpha);
        putIfSet(values, "beta", beta);
        putIfSet(values, "gamma", gamma);
        putIfSet(values, "gammaMode", gammaMode);
        putIfSet(values, "lambda", lambda);
        putIfSet(values, "objective", objective);
        putIfSet(values, "init", init);
        putIfSet(values, "seed", seed);
        putIfSet(values, "process", process);
        AttackConfig section = AttackConfig.of(attack, targets, values);
        AttackParams params = optionError(section::params);
        TargetConfig targetSpec = asSpec(model);
        targetSpec.checkRuns("--model " + model, params.spec(), params, values);
        TargetConfig evaluatorSpec = "none".equalsIgnoreCase(evaluator) ? null : asSpec(evaluator);
        boolean needsGan = params.spec().needs(params).contains(AttackInputs.Need.GENERATOR);
        if (needsGan && ganFile == null) {
            throw new Mi4jException("--attack " + params.spec().name() + " needs the attacker's GAN prior: --gan FILE (train one with"
                    + " 'mi4j train --model gan --dataset public-faces --out DIR')");
        }
        if (!needsGan && ganFile != null) {
            throw new Mi4jException("--gan: attack " + params.spec().name() + " does not use a GAN prior");
        }
        TargetProvider provider = new TargetProvider(TargetProvider.defaultCacheDir(), common.quiet());
        ExperimentData experimentData = data.experimentData();
        LoadedDataset loaded = experimentData.data();
        Gan gan = needsGan ? GanStore.load(ganFile) : null;
        if (gan != null && !gan.imageShape().equals(loaded.images().shape())) {
            throw new Mi4jException("--gan " + ganFile + " generates " + gan.imageShape() + " images, but dataset " + data.name()
                    + " gives " + loaded.images().shape() + (PublicPrivateProtocol.PRIVATE_NAME.equals(data.name()) ? ""
                    : " (GMI's protocol: --dataset " + PublicPrivateProtocol.PRIVATE_NAME + ")"));
        }
        int[] labels = TargetSelection.parse(targets, loaded.images().classNames(), "--targets");
        Preflight.checkInversion(List.of(targetSpec), loaded.images().shape(), loaded.images().numClasses(), labels.length, out);
        ExperimentContext ctx = ExperimentContext.prepare(loaded, splitOptions.spec(data.spec()),
                evaluatorSpec, provider);
        TargetModel target = provider.obtain(targetSpec, ctx.data(), ctx.splitSpec(), ctx.split());
        InversionRun.Request req = InversionRun.Request.whiteBox(target.provenance().architecture(), target, params, labels);
        if (gan != null) {
            req = req.withGenerator(gan);
        }
        // The attacker's prior image: under private-faces the mean public face, else the mean training image.
        InversionRun.Summary s = InversionRun.run(req, ctx.split().train(), ctx.evaluatorClassifier(),
                experimentData.attackerPrior(ctx), out, common.quiet());
        var a = s.report().aggregate();
        System.out.printf(Locale.ROOT,
                "%d targets: mean iterations %.0f, mean best p_label %.3f, top-1 %s, top-5 %s, lineup %s, SSIM to mean %s, %d queries, %.1f s%nwrote %s%n",
                labels.length, s.meanIterations(), s.meanBestPLabel(), TextTable.number("%.3f", a.top1Accuracy()),
                TextTable.number("%.3f", a.top5Accuracy()), TextTable.number("%.3f", a.lineupAccuracy()),
                TextTable.number("%.3f", a.meanSsimMean()), s.result().totalQueries(), s.result().millis() / 1000.0, out);
        if (s.diverged() > 0) {
            System.out.printf(Locale.ROOT, "%d of %d targets diverged (a NaN or infinity; their best finite iterate is kept, see stopReason in metrics.json): try a smaller --lambda%n",
                    s.diverged(), labels.length);
        }
        return 0;
    }

    private static void putIfSet(Map<String, Object> values, String key, Object value) {
        if (value != null) {
            values.put(key, value);
        }
    }

    /** A refused attack parameter as the option that set it: "--param lambda: ..." */
    private static AttackParams optionError(java.util.function.Supplier<AttackParams> params) {
        try {
            return params.get();
        } catch (dev.mi4j.experiments.config.ConfigKeyException e) {
            String msg = e.getMessage().startsWith("attack.") ? e.getMessage().substring("attack.".length()) : e.getMessage();
            throw new Mi4jException(e.key().equals("name") ? "--attack: " + msg.substring(msg.indexOf(':') + 2) : "--param " + msg, e);
        }
    }

    /** A .zip path is a saved model; anything else names an architecture. */
    static TargetConfig asSpec(String value) {
        return value.endsWith(".zip") || Files.exists(Path.of(value))
                ? new TargetConfig(null, value, null, null, null)
                : new TargetConfig(value, null, null, null, null);
    }
}
