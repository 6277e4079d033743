package dev.mi4j.experiments.audit;

import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.BuildInfo;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.Gallery;
import dev.mi4j.core.image.Images;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.metrics.TargetMetrics;
import dev.mi4j.core.model.DcGan;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.train.GanConfig;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.defenses.output.OutputPolicies;
import dev.mi4j.defenses.output.OutputPolicy;
import dev.mi4j.experiments.config.AttackEntry;
import dev.mi4j.experiments.config.BlackBoxConfig;
import dev.mi4j.experiments.config.ExperimentConfig.TargetConfig;
import dev.mi4j.experiments.config.SplitSpec;
import dev.mi4j.experiments.pipeline.ExperimentContext;
import dev.mi4j.experiments.pipeline.GanProvider;
import dev.mi4j.experiments.pipeline.InversionRun;
import dev.mi4j.experiments.pipeline.OutputFolder;
import dev.mi4j.experiments.pipeline.Preflight;
import dev.mi4j.experiments.pipeline.TargetProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mi4j audit}: the attacks that fit a model, their reconstructions judged by an independent
 * evaluation model, a risk per identity and overall ({@link RiskRule}), and the strongest attack that
 * needs only the model's outputs re-run behind each output countermeasure.
 *
 * <p>The battery: white-box MI-Face (several objectives and inits; per identity the attacker keeps
 * the reconstruction the model is most confident about) when the model gives input gradients;
 * black-box MI-Face from confidence queries within a query budget; GMI when public faces are given
 * (a GAN trained on them, never on the audit dataset). Every run goes through the attack registry
 * and {@link InversionRun}, so each writes its reconstructions, gallery and metrics.json into its
 * own folder under {@code attacks/} or {@code countermeasures/} as soon as it finishes: an
 * interrupted audit keeps every finished run. {@code verdict.json}, {@code gallery.png} and
 * {@code report.html} come last. The audited model is only queried and differentiated, never changed.
 *
 * <p>Reference images: all images of each identity in the audit dataset (the identity's private
 * images: for a model from elsewhere nobody knows which of them it was trained on). The evaluation
 * model is trained (or taken from the cache) on the training part of the dataset's default split.
 */
public final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    public static final String VERDICT = "verdict.json";
    public static final String GALLERY = "gallery.png";
    static final String PRIVATE_DIR = "private";

    /**
     * How to run.
     *
     * @param queryBudget images each black-box run may send (null: the config's)
     * @param configFile  the config file read, or null for the built-in defaults (recorded)
     * @param fingerprint the model file's SHA-256 (recorded)
     */
    public record Options(Path outDir, boolean quick, Long queryBudget, Path cacheDir, boolean quiet, Path configFile,
                          String fingerprint) {
    }

    /**
     * The attacker's public faces (GMI's GAN and the attacker's prior image come from them).
     *
     * @param images      [n, c, h, w] at the model's input shape
     * @param sha256      their fingerprint
     * @param description which images they are
     */
    public record PublicFaces(String name, INDArray images, String sha256, String description) {
    }

    /**
     * One attack run.
     *
     * @param group    the battery entry's label ("white-box MI-Face", ...)
     * @param kind     white-box, black-box or countermeasure
     * @param variant  the variant's overrides in words ("as configured" without)
     * @param policy   the output countermeasure in front of the model ("identity": none)
     * @param budget   its query budget (0: unlimited)
     * @param risks    the risk of each of its reconstructions, in the summary's order
     */
    public record Run(String group, String kind, String variant, String policy, long budget, InversionRun.Summary summary,
                      List<Risk> risks, String folder) {
    }

    /**
     * One identity's result: its risk and the reconstruction that decided it.
     *
     * @param attack         the battery entry whose reconstruction set the risk (the first at that level)
     * @param reconstruction its path relative to the audit folder
     * @param byAttack       the risk under each battery entry that attacked the identity
     */
    public record IdentityResult(int label, String identity, Risk risk, String attack, String variant, double attackerPLabel,
                                 TargetMetrics metrics, String reconstruction, Map<String, Risk> byAttack) {
    }

    /** The countermeasure table's row: the strongest output-only attack behind one policy. */
    public record CountermeasureRow(String policy, int identities, Risk overall, double shareHigh, double shareMediumOrAbove,
                                    double top1, double meanTruePLabel, long modelQueries, long millis, String folder) {
    }

    /** What the audit found. */
    public record Outcome(Risk overall, double shareHigh, double shareMediumOrAbove, List<IdentityResult> identities,
                          List<Run> runs, String decisiveAttack, String countermeasureAttack, List<CountermeasureRow> countermeasures,
                          List<Map<String, String>> skipped, Path outDir, long millis) {
    }

    private final AuditedModel model;
    private final LoadedDataset data;
    private final PublicFaces publicFaces;
    private final AuditConfig cfg;
    private final Options o;
    private final List<Map<String, String>> skipped = new ArrayList<>();

    public Audit(AuditedModel model, LoadedDataset data, PublicFaces publicFaces, AuditConfig cfg, Options options) {
        this.model = model;
        this.data = data;
        this.publicFaces = publicFaces;
        this.cfg = cfg;
        this.o = options;
    }

    /**
     * Refuses, before anything is written, a dataset the model does not fit, and an output folder
     * without room for the runs.
     */
    public static void check(AuditedModel model, LoadedDataset data, PublicFaces publicFaces, Path outDir) {
        LabeledImages images = data.images();
        model.checkFits(images.shape(), images.numClasses(), images.classNames(), images.name());
        if (publicFaces != null && publicFaces.images().size(1) != images.shape().channels()) {
            throw new Mi4jException("public faces " + publicFaces.name() + " have " + publicFaces.images().size(1)
                    + " channels but the model takes " + images.shape().channels());
        }
        // Up to 4 white-box variants, black-box, GMI and 6 countermeasure runs, each writing its own folder.
        Preflight.checkDisk(outDir, 12 * Preflight.expectedOutputBytes(images.shape(), images.numClasses()), "the audit");
    }

    public Outcome run() {
        long start = System.nanoTime();
        check(model, data, publicFaces, o.outDir());
        OutputFolder.prepare(o.outDir());
        LabeledImages all = data.images();
        int k = all.numClasses();
        TargetProvider provider = new TargetProvider(o.cacheDir(), o.quiet());
        ExperimentContext ctx = ExperimentContext.prepare(data, SplitSpec.UNSET.withDefaultsOf(data.resolved().spec()),
                evaluatorSpec(), provider);
        DifferentiableClassifier evaluator = ctx.evaluatorClassifier();
        InversionRun.Subject subject = model.subject();
        // The attacker's prior image: the mean public face; with no public faces the attacker has none
        // (the mean of the audit dataset is private knowledge), and runs that need one are skipped.
        INDArray prior = publicFaces == null ? null : publicFaces.images().mean(0);
        int[] everyone = IntStream.range(0, o.quick() ? Math.min(k, cfg.quick().identities()) : k).toArray();

        List<Run> runs = new ArrayList<>();
        List<Group> groups = new ArrayList<>();
        if (model.gradients()) {
            groups.add(new Group(cfg.whiteBox(), null, runEntry(cfg.whiteBox(), "whiteBox", subject, everyone, null, prior, all,
                    evaluator, runs, OutputPolicies.identity(), false)));
        } else {
            skip(cfg.whiteBox().label(), "the model gives no input gradients");
        }
        int[] bbLabels = model.gradients() ? Arrays.copyOf(everyone, Math.min(everyone.length, cfg.blackBoxIdentities()))
                : everyone;
        groups.add(new Group(cfg.blackBox(), null, runEntry(cfg.blackBox(), "blackBox", subject, bbLabels, null, prior, all,
                evaluator, runs, OutputPolicies.identity(), false)));
        Gan gan = null;
        if (publicFaces == null) {
            skip(cfg.gmi().label(), "no public faces given (--public)");
        } else if (!ganFits(all.shape())) {
            skip(cfg.gmi().label(), "its GAN draws square images with a power-of-two side >= 16; the model takes " + all.shape());
        } else {
            gan = gan();
            AttackEntry gmi = cfg.gmi();
            if (!model.gradients() && gmi.blackbox() == null) {
                // No gradients: GMI's identity term estimated from queries, as the black-box MI-Face's.
                gmi = new AttackEntry(gmi.label() + " black-box", gmi.attack(), gmi.variants(), cfg.blackBox().blackbox());
            }
            groups.add(new Group(gmi, gan, runEntry(gmi, "gmi", subject, gmi.blackbox() == null ? everyone : bbLabels, gan,
                    prior, all, evaluator, runs, OutputPolicies.identity(), false)));
        }

        // The identities' risk: under the strongest attack run on all of them (one attack, so chance
        // alone rates MEDIUM at the level the verdict reports, not at a higher one from taking a maximum).
        Group decisive = groups.stream().filter(g -> g.kept().summary().result().reconstructions().size() == everyone.length)
                .max(java.util.Comparator.comparingDouble(g -> strength(g.kept()))).orElseThrow();
        List<IdentityResult> identities = identities(decisive, groups, all);
        List<Risk> levels = identities.stream().map(IdentityResult::risk).toList();
        Risk overall = cfg.risk().overall(levels);

        // The strongest attack that needs only the model's outputs (its kept variant), behind each countermeasure.
        Group strongest = groups.stream().filter(g -> g.entry().blackbox() != null)
                .max(java.util.Comparator.comparingDouble(g -> strength(g.kept()))).orElseThrow();
        AttackEntry cmEntry = strongest.keptEntry();
        int[] cmLabels = Arrays.copyOf(bbLabels, Math.min(bbLabels.length, o.quick()
                ? Math.min(cfg.quick().identities(), cfg.countermeasures().identities()) : cfg.countermeasures().identities()));
        List<CountermeasureRow> cm = new ArrayList<>();
        for (OutputPolicy policy : cfg.countermeasures().parsed()) {
            Run run = runEntry(cmEntry, "countermeasure", subject, cmLabels, strongest.gan(), prior, all, evaluator, runs, policy,
                    true).get(0);
            var a = run.summary().report().aggregate();
            cm.add(new CountermeasureRow(policy.spec(), cmLabels.length, cfg.risk().overall(run.risks()),
                    RiskRule.share(run.risks(), Risk.HIGH), RiskRule.share(run.risks(), Risk.MEDIUM), a.top1Accuracy(),
                    run.summary().meanTrueP(), run.summary().modelQueries(), run.summary().result().millis(), run.folder()));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Outcome out = new Outcome(overall, RiskRule.share(levels, Risk.HIGH), RiskRule.share(levels, Risk.MEDIUM), identities,
                runs, decisive.entry().label(), strongest.entry().label(), cm, List.copyOf(skipped), o.outDir(), millis);
        writePrivateImages(all, identities);
        gallery(out, groups, all);
        Map<String, Object> verdict = verdict(out, ctx, gan);
        AtomicFiles.writeString(o.outDir().resolve(VERDICT), Json.toJson(verdict));
        AuditReport.write(o.outDir(), Json.mapper().valueToTree(verdict));
        return out;
    }

    private TargetConfig evaluatorSpec() {
        TargetConfig e = cfg.evaluator();
        if (!o.quick() || e.architecture() == null) {
            return e;
        }
        int epochs = e.epochs() == null ? cfg.quick().evaluatorEpochs() : Math.min(e.epochs(), cfg.quick().evaluatorEpochs());
        return new TargetConfig(e.architecture(), null, e.seed(), epochs, e.learningRate(), e.pretrainEpochs(), e.variants(),
                e.defense());
    }

    private static boolean ganFits(dev.mi4j.core.image.ImageShape shape) {
        try {
            DcGan.stages(shape);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Gan gan() {
        GanConfig gc = cfg.gan().config();
        if (o.quick()) {
            gc = gc.withEpochs(cfg.quick().ganEpochs()).withWidth(Math.min(gc.width(), 4)).withSampleEvery(0);
        }
        if (cfg.gan().model() != null) {
            return GanProvider.load(Path.of(cfg.gan().model()));
        }
        return new GanProvider(o.cacheDir(), o.quiet()).obtain(publicFaces.name(), publicFaces.images(), publicFaces.sha256(),
                publicFaces.description(), gc, o.outDir());
    }

    private void skip(String attack, String reason) {
        LOG.info("audit: {} skipped: {}", attack, reason);
        skipped.add(ordered("attack", attack, "reason", reason));
    }

    /** Every variant of an entry, white-box or behind its black-box estimator (and {@code policy}). */
    private List<Run> runEntry(AttackEntry entry, String field, InversionRun.Subject subject, int[] labels, Gan gan,
                               INDArray prior, LabeledImages refs, DifferentiableClassifier evaluator, List<Run> sink,
                               OutputPolicy policy, boolean countermeasure) {
        List<Run> runs = new ArrayList<>();
        List<AttackParams> params = cfg.params(entry, field);
        BlackBoxConfig bb = budgeted(entry.blackbox());
        for (int i = 0; i < params.size(); i++) {
            AttackParams p = params.get(i);
            Map<String, Object> variant = entry.runs().get(i);
            String variantName = variantName(variant);
            if (countermeasure) {
                p = p.withIterationsAtMost(cfg.countermeasures().alpha());
            }
            if (o.quick()) {
                p = p.withIterationsAtMost(cfg.quick().iterations());
            }
            if (AuditConfig.needsPrior(p) && prior == null) {
                if (!countermeasure) {
                    skip(entry.label() + " (" + variantName + ")", "it starts from the attacker's prior image, the mean public"
                            + " face: give public faces (--public)");
                }
                continue;
            }
            String groupFolder = OutputFolder.safeName(entry.label().toLowerCase(Locale.ROOT).replace(' ', '-'));
            Path dir = countermeasure
                    ? o.outDir().resolve("countermeasures").resolve(OutputFolder.safeName(policy.spec()))
                    : o.outDir().resolve("attacks").resolve(groupFolder);
            if (entry.runs().size() > 1) {
                dir = dir.resolve(OutputFolder.safeName(variantFolder(variant)));
            }
            String name = model.architecture() + " " + entry.label() + (variant.isEmpty() ? "" : " (" + variantName + ")")
                    + (countermeasure ? ", output " + policy.spec() : "");
            InversionRun.Request req = bb == null ? InversionRun.Request.whiteBox(name, subject, p, labels)
                    : InversionRun.Request.blackBox(name, subject, bb.attackerView(new CountedView(subject.classifier()), policy),
                    "black-box " + bb.describe() + (countermeasure ? ", output " + policy.spec() : ""), p, labels);
            if (p.spec().needs(p).contains(AttackInputs.Need.GENERATOR)) {
                req = req.withGenerator(gan);
            }
            LOG.info("audit: {} on {} identities, {}", name, labels.length, p);
            InversionRun.Summary s = InversionRun.run(req, refs, evaluator, prior, dir, o.quiet());
            List<Risk> risks = s.report().targets().stream().map(m -> cfg.risk().of(m, refs.numClasses())).toList();
            Run run = new Run(entry.label(), countermeasure ? "countermeasure" : bb == null ? "white-box" : "black-box",
                    variantName, policy.spec(), bb == null ? 0 : bb.queryBudget(), s, risks,
                    o.outDir().relativize(dir).toString().replace('\\', '/'));
            runs.add(run);
            sink.add(run);
        }
        if (runs.isEmpty()) {
            throw new Mi4jException(field + ": every variant of '" + entry.label() + "' needs the attacker's prior image,"
                    + " and there are no public faces (--public) to make it from");
        }
        return runs;
    }

    private BlackBoxConfig budgeted(BlackBoxConfig bb) {
        if (bb == null || o.queryBudget() == null) {
            return bb;
        }
        return new BlackBoxConfig(bb.estimator(), bb.samples(), bb.sigma(), bb.h(), bb.subspace(), bb.maxBatch(),
                o.queryBudget(), bb.alpha(), bb.lambda(), bb.seed(), bb.targets());
    }

    /** How strong a run is: its share of HIGH identities, then of MEDIUM-or-above, then its evaluation top-1 accuracy. */
    private static double strength(Run run) {
        double top1 = run.summary().report().aggregate().top1Accuracy();
        return RiskRule.share(run.risks(), Risk.HIGH) * 1e6 + RiskRule.share(run.risks(), Risk.MEDIUM) * 1e3
                + (Double.isNaN(top1) ? 0 : top1);
    }

    /**
     * One battery entry and its runs (its variants); {@code gan} is the prior it used, or null. The
     * attacker keeps one variant for every identity: the one with the best evaluation top-1 accuracy,
     * then the highest mean p_label under the model (as the attack studies' galleries do).
     */
    private record Group(AttackEntry entry, Gan gan, List<Run> runs) {
        Run kept() {
            return runs.get(dev.mi4j.experiments.pipeline.AttackStudy.bestRun(runs.stream().map(Run::summary).toList()));
        }

        /** The entry with only its kept variant (what the countermeasure runs repeat). */
        AttackEntry keptEntry() {
            Run k = kept();
            for (Map<String, Object> v : entry.runs()) {
                if (variantName(v).equals(k.variant())) {
                    return new AttackEntry(entry.label(), entry.attack(), entry.variants() == null ? null : List.of(v),
                            entry.blackbox());
                }
            }
            throw new IllegalStateException("no variant " + k.variant() + " in " + entry.label());
        }
    }

    /** The chosen reconstruction of one identity within one battery entry. */
    private record Pick(Run run, int index) {
        Reconstruction reconstruction() {
            return run.summary().result().reconstructions().get(index);
        }

        TargetMetrics metrics() {
            return run.summary().report().targets().get(index);
        }

        Risk risk() {
            return run.risks().get(index);
        }
    }

    /** An identity's reconstruction in the entry's kept variant, or null when the entry did not attack it. */
    private static Pick pick(Group group, int label) {
        Run r = group.kept();
        List<Reconstruction> recs = r.summary().result().reconstructions();
        for (int i = 0; i < recs.size(); i++) {
            if (recs.get(i).label() == label) {
                return new Pick(r, i);
            }
        }
        return null;
    }

    private List<IdentityResult> identities(Group decisive, List<Group> groups, LabeledImages all) {
        List<IdentityResult> out = new ArrayList<>();
        for (Reconstruction rec : decisive.kept().summary().result().reconstructions()) {
            int label = rec.label();
            Map<String, Risk> byAttack = new LinkedHashMap<>();
            for (Group g : groups) {
                Pick p = pick(g, label);
                if (p != null) {
                    byAttack.put(g.entry().label(), p.risk());
                }
            }
            Pick d = pick(decisive, label);
            String identity = all.classNames().get(label);
            out.add(new IdentityResult(label, identity, d.risk(), decisive.entry().label(), d.run().variant(),
                    d.reconstruction().bestPLabel(), d.metrics(), d.run().folder() + "/" + identity + "/reconstruction.png",
                    byAttack));
        }
        return out;
    }

    private void writePrivateImages(LabeledImages all, List<IdentityResult> identities) {
        for (IdentityResult r : identities) {
            Images.writePng(all.imagesOf(r.label()).get(NDArrayIndex.point(0)),
                    o.outDir().resolve(PRIVATE_DIR).resolve(r.identity() + ".png"));
        }
    }

    /** gallery.png: per identity a private image, then each battery entry's kept reconstruction. */
    private void gallery(Outcome out, List<Group> groups, LabeledImages all) {
        List<String> columns = new ArrayList<>(List.of("private image"));
        groups.forEach(g -> columns.add(g.entry().label()));
        int side = Math.max(all.shape().height(), all.shape().width());
        Gallery.Builder g = Gallery.builder("mi4j audit of " + model.architecture() + " on " + all.name() + ": overall risk "
                        + out.overall() + " (p = the model's confidence, + = the evaluation model's top-1 is right)")
                .columns(columns).rowsPerColumnBlock(10).scale(Math.max(1, Math.min(8, 96 / side)));
        INDArray blank = Nd4j.zeros(all.shape().channels(), all.shape().height(), all.shape().width()).addi(0.5);
        for (IdentityResult r : out.identities()) {
            List<INDArray> images = new ArrayList<>(List.of(all.imagesOf(r.label()).get(NDArrayIndex.point(0))));
            List<String> captions = new ArrayList<>(List.of(r.risk().name()));
            for (Group group : groups) {
                Pick p = pick(group, r.label());
                images.add(p == null ? blank : p.reconstruction().image());
                captions.add(p == null ? "not attacked" : String.format(Locale.ROOT, "p=%.2f%s %s", p.reconstruction().bestPLabel(),
                        p.metrics().evalTop1Correct() ? " +" : "", p.risk().name()));
            }
            g.row(r.identity(), images, captions);
        }
        g.write(o.outDir().resolve(GALLERY));
    }

    private Map<String, Object> verdict(Outcome out, ExperimentContext ctx, Gan gan) {
        LabeledImages all = data.images();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("verdict", out.overall().name());
        v.put("summary", summaryLine(out));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("audited", out.identities().size());
        counts.put("inDataset", all.numClasses());
        for (Risk r : Risk.values()) {
            counts.put(r.label(), out.identities().stream().filter(i -> i.risk() == r).count());
        }
        counts.put("shareHigh", out.shareHigh());
        counts.put("shareMediumOrAbove", out.shareMediumOrAbove());
        v.put("identities", counts);
        v.put("thresholds", cfg.risk().describe(all.numClasses()));
        v.put("decidedBy", out.decisiveAttack());
        v.put("perIdentity", out.identities());
        List<Map<String, Object>> attacks = new ArrayList<>();
        for (Run r : out.runs()) {
            InversionRun.Summary s = r.summary();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attack", r.group());
            m.put("kind", r.kind());
            m.put("variant", r.variant());
            m.put("output", r.policy());
            m.put("attacker", s.attacker());
            m.put("algorithm", s.result().attackName());
            m.put("params", s.result().params());
            m.put("identities", s.result().reconstructions().stream().map(x -> all.classNames().get(x.label())).toList());
            m.put("queryBudget", r.budget() == 0 ? null : r.budget());
            m.put("modelQueries", s.modelQueries());
            m.put("gradientEvaluations", s.result().totalQueries());
            m.put("millis", s.result().millis());
            m.put("meanTruePLabel", s.meanTrueP());
            m.put("risk", ordered("overall", cfg.risk().overall(r.risks()).name(), "shareHigh", RiskRule.share(r.risks(), Risk.HIGH),
                    "shareMediumOrAbove", RiskRule.share(r.risks(), Risk.MEDIUM)));
            m.put("aggregate", s.report().aggregate());
            m.put("folder", r.folder());
            attacks.add(m);
        }
        v.put("attacks", attacks);
        v.put("skipped", out.skipped());
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("attack", out.countermeasureAttack());
        cm.put("identities", out.countermeasures().isEmpty() ? 0 : out.countermeasures().get(0).identities());
        cm.put("note", "the strongest attack that needs only the model's outputs, re-run with each output policy in front of"
                + " the model; a white-box attacker, who has the weights, is not affected by output policies");
        cm.put("rows", out.countermeasures());
        v.put("countermeasures", cm);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", model.source());
        m.put("format", model.format());
        m.put("sha256", o.fingerprint());
        m.put("inputShape", model.inputShape());
        m.put("numClasses", model.numClasses());
        m.put("gradients", model.gradients());
        m.put("provenance", model.provenance());
        v.put("model", m);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", all.name());
        d.put("root", data.resolved().root().toString());
        d.put("origin", data.resolved().origin());
        d.put("manifestSha256", data.resolved().manifestSha256());
        d.put("images", all.size());
        d.put("identities", all.numClasses());
        d.put("shape", all.shape());
        d.put("references", "all images of each identity");
        d.put("evaluatorSplit", ctx.split().description());
        v.put("dataset", d);
        v.put("evaluator", ctx.evaluator().provenance());
        v.put("publicFaces", publicFaces == null ? null : ordered("name", publicFaces.name(), "images", publicFaces.images().size(0),
                "sha256", publicFaces.sha256(), "description", publicFaces.description()));
        v.put("gan", gan == null ? null : gan.provenance());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("file", o.configFile() == null ? null : o.configFile().toString());
        c.put("sha256", o.configFile() == null ? null : dev.mi4j.core.io.Sha256.of(o.configFile()));
        c.put("quick", o.quick());
        c.put("queryBudget", o.queryBudget());
        c.put("blackBoxIdentities", cfg.blackBoxIdentities());
        c.put("countermeasureIdentities", cfg.countermeasures().identities());
        c.put("countermeasureIterations", cfg.countermeasures().alpha());
        v.put("config", c);
        v.put("mi4j", ordered("version", BuildInfo.version(), "gitCommit", BuildInfo.gitCommit()));
        v.put("backend", BackendInfo.describe());
        v.put("createdAt", Instant.now().toString());
        v.put("totalMillis", out.millis());
        return v;
    }

    /** A map in the order written: verdict.json's keys do not depend on Map.of's iteration order. */
    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> ordered(Object... keysAndValues) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return m;
    }

    /** One line: the verdict and what it rests on. */
    public static String summaryLine(Outcome out) {
        long high = out.identities().stream().filter(i -> i.risk() == Risk.HIGH).count();
        long medium = out.identities().stream().filter(i -> i.risk() == Risk.MEDIUM).count();
        return String.format(Locale.ROOT, "%s risk: %d of %d identities HIGH, %d MEDIUM", out.overall(), high,
                out.identities().size(), medium);
    }

    static String variantName(Map<String, Object> variant) {
        if (variant.isEmpty()) {
            return "as configured";
        }
        List<String> parts = new ArrayList<>();
        variant.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    private static String variantFolder(Map<String, Object> variant) {
        StringBuilder b = new StringBuilder();
        variant.forEach((k, v) -> b.append(b.length() == 0 ? "" : "-").append(k).append('-').append(v));
        return b.length() == 0 ? "as-configured" : b.toString();
    }
}
