package dev.mi4j.experiments.pipeline;

import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackRegistry;
import dev.mi4j.attacks.AttackSpec;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.Gallery;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.metrics.AggregateMetrics;
import dev.mi4j.core.metrics.TargetMetrics;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.datasets.PublicPrivateProtocol;
import dev.mi4j.defenses.output.OutputPolicies;
import dev.mi4j.experiments.config.AttackEntry;
import dev.mi4j.experiments.config.BlackBoxConfig;
import dev.mi4j.experiments.config.ExperimentConfig;
import dev.mi4j.experiments.config.ExperimentConfig.TargetConfig;
import dev.mi4j.experiments.report.TextTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several attacks side by side against every target: a config's {@code attacks:} list, each entry
 * run through the {@link AttackRegistry} like the {@code attack:} section (white-box, or
 * black-box behind its own gradient estimator), optionally under the public/private protocol
 * ({@code protocol:}: targets and evaluator trained on the private identities, the GAN prior of
 * attacks that need one trained on the public faces, {@code gan:}; the attacker's prior image, e.g.
 * MI-Face's mean init, is then the mean <em>public</em> face). GMI's study (CVPR 2020) on mi4j's
 * data is one such config ({@code configs/gmi2020.yaml}).
 *
 * <p>Outputs in the run's folder: {@code <target>/<entry>[/<variant>]/} per run (reconstructions,
 * gallery, metrics, as every run writes them), {@code <target>-comparison.png} (per identity: a
 * private training image, then each entry's reconstruction, the best variant of an entry with
 * several), {@code gan-samples.png}, {@code summary.json} and {@code summary.txt}.
 */
public final class AttackStudy {

    private static final Logger LOG = LoggerFactory.getLogger(AttackStudy.class);

    /** --quick: iterations of every attack. */
    public static final int QUICK_ITERATIONS = 30;
    /** --quick: identities attacked (the first ones of each entry's selection). */
    public static final int QUICK_IDENTITIES = 4;
    /** --quick: training epochs of targets and evaluator. */
    public static final int QUICK_EPOCHS = 8;
    private static final int ROWS_PER_BLOCK = 10;

    /** How to run. */
    public record Options(boolean quick, Path outDir, Path dataPath, Path cacheDir, boolean quiet) {
    }

    /**
     * One run of one entry (one variant) against one target.
     *
     * @param best whether this is the entry's variant shown in the comparison gallery
     */
    public record Row(String target, AttackEntry entry, String variant, boolean best, InversionRun.Summary summary) {
    }

    /** What the study produced. */
    public record Outcome(List<Row> rows, TextTable table, Gan gan, Path outDir, String protocol) {
    }

    private final ExperimentConfig cfg;
    private final Path configFile;
    private final Options o;

    public AttackStudy(ExperimentConfig cfg, Path configFile, Options options) {
        if (cfg.attacks() == null && cfg.protocol() == null) {
            throw new IllegalArgumentException("cfg: has neither attacks: nor protocol:");
        }
        this.cfg = cfg;
        this.configFile = configFile;
        this.o = options;
    }

    public Outcome run() {
        long start = System.nanoTime();
        // The data: the protocol's private identities, or the configured dataset.
        ExperimentData d = ExperimentData.load(cfg, o.dataPath());
        PublicPrivateProtocol.Faces faces = d.faces();
        LoadedDataset data = d.data();
        OutputFolder.prepare(o.outDir());
        TargetProvider provider = new TargetProvider(o.cacheDir(), o.quiet());
        ExperimentContext ctx = ExperimentContext.prepare(data, cfg.split(), quick(cfg.evaluator()), provider);
        List<AttackEntry> entries = cfg.attacks() != null ? cfg.attacks() : List.of(new AttackEntry(
                cfg.attack().spec().name(), cfg.attack(), null, null));

        Gan gan = needsGenerator(entries)
                ? new GanProvider(o.cacheDir(), o.quiet()).forConfig(cfg.gan(), faces, o.quick(), o.outDir()) : null;
        INDArray prior = d.attackerPrior(ctx);

        List<Row> rows = new ArrayList<>();
        for (TargetConfig configured : cfg.targets()) {
            TargetModel target = provider.obtain(quick(configured), data, cfg.split(), ctx.split());
            String targetName = target.provenance().architecture();
            List<Row> ofTarget = new ArrayList<>();
            for (int e = 0; e < entries.size(); e++) {
                ofTarget.addAll(runEntry(ctx, target, targetName, entries.get(e), "attacks[" + e + "]", gan, prior));
            }
            rows.addAll(ofTarget);
            comparisonGallery(targetName, ofTarget, ctx.split().train(), o.outDir().resolve(targetName + "-comparison.png"));
        }
        TextTable table = table(rows);
        String protocol = faces == null ? null : faces.description();
        writeSummary(rows, ctx, gan, protocol, table, (System.nanoTime() - start) / 1_000_000);
        return new Outcome(rows, table, gan, o.outDir(), protocol);
    }

    private List<Row> runEntry(ExperimentContext ctx, TargetModel target, String targetName, AttackEntry entry, String field,
                               Gan gan, INDArray prior) {
        LabeledImages train = ctx.split().train();
        int[] labels = TargetSelection.parse(entry.attack().targets(), train.classNames(), field + ".attack.targets");
        if (o.quick()) {
            labels = Arrays.copyOf(labels, Math.min(labels.length, QUICK_IDENTITIES));
        }
        BlackBoxConfig bb = entry.blackbox();
        List<Row> rows = new ArrayList<>();
        List<InversionRun.Summary> runs = new ArrayList<>();
        for (Map<String, Object> variant : entry.runs()) {
            AttackParams p = entry.attack().params(variant);
            if (bb != null) {
                p = bb.apply(p);
            }
            if (o.quick()) {
                p = p.withIterationsAtMost(QUICK_ITERATIONS);
            }
            String variantName = variantName(variant);
            String name = targetName + " " + entry.label() + (variant.isEmpty() ? "" : " (" + variantName + ")");
            Path dir = o.outDir().resolve(targetName).resolve(entry.folder());
            if (entry.runs().size() > 1) {
                dir = dir.resolve(variantFolder(variant));
            }
            InversionRun.Request req = bb == null ? InversionRun.Request.whiteBox(name, target, p, labels)
                    : InversionRun.Request.blackBox(name, target, bb.attackerView(target.classifier(), OutputPolicies.identity()),
                    "black-box " + bb.describe(), p, labels);
            if (p.spec().needs(p).contains(AttackInputs.Need.GENERATOR)) {
                req = req.withGenerator(gan);
            }
            LOG.info("{}: {} on {} identities, {}", name, req.attackerName(), labels.length, p);
            runs.add(InversionRun.run(req, train, ctx.evaluatorClassifier(), prior, dir, o.quiet()));
        }
        int best = bestRun(runs);
        for (int i = 0; i < runs.size(); i++) {
            rows.add(new Row(targetName, entry, variantName(entry.runs().get(i)), i == best, runs.get(i)));
        }
        return rows;
    }

    /** The entry's run shown in galleries: the best evaluator top-1 accuracy, then mean p_label under the true model. */
    public static int bestRun(List<InversionRun.Summary> runs) {
        int best = 0;
        for (int i = 1; i < runs.size(); i++) {
            double a = top1(runs.get(i));
            double b = top1(runs.get(best));
            if (a > b || (a == b && runs.get(i).meanTrueP() > runs.get(best).meanTrueP())) {
                best = i;
            }
        }
        return best;
    }

    private static double top1(InversionRun.Summary s) {
        double v = s.report().aggregate().top1Accuracy();
        return Double.isNaN(v) ? -1 : v;
    }

    static boolean needsGenerator(List<AttackEntry> entries) {
        for (AttackEntry e : entries) {
            AttackSpec spec = AttackRegistry.get(e.attack().name());
            for (Map<String, Object> v : e.runs()) {
                AttackParams p = e.attack().params(v);
                if (spec.needs(p).contains(AttackInputs.Need.GENERATOR)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Targets and evaluator trained for {@link #QUICK_EPOCHS} at most in a quick run. */
    private TargetConfig quick(TargetConfig spec) {
        if (!o.quick() || spec == null || spec.architecture() == null) {
            return spec;
        }
        int epochs = spec.epochs() == null ? QUICK_EPOCHS : Math.min(spec.epochs(), QUICK_EPOCHS);
        return new TargetConfig(spec.architecture(), null, spec.seed(), epochs, spec.learningRate(), spec.pretrainEpochs(),
                spec.variants(), spec.defense());
    }

    static String variantName(Map<String, Object> variant) {
        if (variant.isEmpty()) {
            return "as configured";
        }
        List<String> parts = new ArrayList<>();
        variant.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    static String variantFolder(Map<String, Object> variant) {
        if (variant.isEmpty()) {
            return "as-configured";
        }
        StringBuilder b = new StringBuilder();
        variant.forEach((k, v) -> b.append(b.length() == 0 ? "" : "-").append(k).append('-')
                .append(String.valueOf(v).replaceAll("[^A-Za-z0-9.]+", "_")));
        return b.toString();
    }

    /** Per identity: a private training image, then each entry's shown reconstruction. */
    static void comparisonGallery(String target, List<Row> rows, LabeledImages train, Path png) {
        List<Row> shown = rows.stream().filter(Row::best).toList();
        if (shown.isEmpty()) {
            return;
        }
        List<String> columns = new ArrayList<>(List.of("private training image"));
        shown.forEach(r -> columns.add(r.entry().label()));
        Gallery.Builder g = Gallery.builder("attacks on " + target + " (" + train.name() + "): p = the target's confidence,"
                + " + = the evaluation model's top-1 is right").columns(columns).rowsPerColumnBlock(ROWS_PER_BLOCK)
                // Small faces (32x32) enlarged to about 96 pixels.
                .scale(Math.max(1, Math.min(16, 96 / Math.max(train.shape().height(), train.shape().width()))));
        List<Reconstruction> first = shown.get(0).summary().result().reconstructions();
        for (int i = 0; i < first.size(); i++) {
            int label = first.get(i).label();
            List<INDArray> images = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            images.add(train.imagesOf(label).get(NDArrayIndex.point(0)));
            captions.add("");
            boolean everyone = true;
            for (Row r : shown) {
                int at = indexOf(r.summary().result().reconstructions(), label);
                if (at < 0) {
                    everyone = false;
                    break;
                }
                Reconstruction rec = r.summary().result().reconstructions().get(at);
                TargetMetrics m = r.summary().report().targets().get(at);
                images.add(rec.image());
                captions.add(String.format(Locale.ROOT, "p=%.2f%s", rec.bestPLabel(), m.evalTop1Correct() ? " +" : ""));
            }
            if (everyone) {
                g.row(train.classNames().get(label), images, captions);
            }
        }
        g.write(png);
    }

    private static int indexOf(List<Reconstruction> recs, int label) {
        for (int i = 0; i < recs.size(); i++) {
            if (recs.get(i).label() == label) {
                return i;
            }
        }
        return -1;
    }

    static TextTable table(List<Row> rows) {
        TextTable t = new TextTable(List.of("model", "attack", "variant", "test acc", "top-1", "top-5", "KNN dist", "SSIM",
                "lineup", "p_label", "queries", "time", "s/identity"));
        for (Row r : rows) {
            InversionRun.Summary s = r.summary();
            AggregateMetrics a = s.report().aggregate();
            int n = s.result().reconstructions().size();
            t.row(List.of(r.target(), r.entry().label(), r.variant() + (r.best() && r.entry().runs().size() > 1 ? " *" : ""),
                    pct(s.testAccuracy()), pct(a.top1Accuracy()), pct(a.top5Accuracy()),
                    num(a.meanFeatureDistanceNearest(), "%.1f"), num(a.meanSsimNearest(), "%.3f"), pct(a.lineupAccuracy()),
                    num(s.meanTrueP(), "%.3f"), String.format(Locale.ROOT, "%,d", s.modelQueries()),
                    String.format(Locale.ROOT, "%.1f s", s.result().millis() / 1000.0),
                    String.format(Locale.ROOT, "%.2f", s.result().millis() / 1000.0 / Math.max(1, n))));
        }
        return t;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String num(double v, String f) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, f, v);
    }

    private void writeSummary(List<Row> rows, ExperimentContext ctx, Gan gan, String protocol, TextTable table, long millis) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("experiment", cfg.name());
        doc.put("config", configFile == null ? null : configFile.toString());
        doc.put("quick", o.quick());
        doc.put("protocol", protocol);
        doc.put("dataset", Map.of("name", ctx.data().images().name(), "manifestSha256", ctx.data().resolved().manifestSha256(),
                "split", ctx.split().description()));
        doc.put("backend", BackendInfo.describe());
        doc.put("gan", gan == null ? null : gan.provenance());
        doc.put("evaluator", ctx.evaluator() == null ? null : ctx.evaluator().provenance());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            InversionRun.Summary s = r.summary();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.target());
            m.put("attack", r.entry().label());
            m.put("variant", r.variant());
            m.put("shownInGallery", r.best());
            m.put("attacker", s.attacker());
            m.put("params", s.result().params());
            m.put("folder", o.outDir().relativize(s.outDir()).toString());
            m.put("targets", s.result().reconstructions().size());
            m.put("testAccuracy", s.testAccuracy());
            m.put("meanTruePLabel", s.meanTrueP());
            m.put("modelQueries", s.modelQueries());
            m.put("attackMillis", s.result().millis());
            m.put("millisPerIdentity", s.result().millis() / (double) Math.max(1, s.result().reconstructions().size()));
            m.put("aggregate", s.report().aggregate());
            out.add(m);
        }
        doc.put("results", out);
        doc.put("totalMillis", millis);
        AtomicFiles.writeString(o.outDir().resolve("summary.json"), Json.toJson(doc));
        AtomicFiles.writeString(o.outDir().resolve("summary.txt"), table.toString());
    }
}
