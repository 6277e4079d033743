package dev.mi4j.experiments.attribute;

import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.attribute.AttributeAttack;
import dev.mi4j.attacks.attribute.AttributeAttackSpec;
import dev.mi4j.attacks.attribute.AttributeInference;
import dev.mi4j.attacks.attribute.AttributeKnowledge;
import dev.mi4j.attacks.attribute.AttributeTargets;
import dev.mi4j.attacks.attribute.BlackBoxMap;
import dev.mi4j.attacks.attribute.InferenceScores;
import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.tabular.CartTree;
import dev.mi4j.core.tabular.ConfusionMatrix;
import dev.mi4j.core.tabular.DecisionTree;
import dev.mi4j.core.tabular.TabularClassifier;
import dev.mi4j.core.tabular.TabularData;
import dev.mi4j.core.tabular.TabularNetwork;
import dev.mi4j.core.tabular.TabularProvenance;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.datasets.TabularDatasets;
import dev.mi4j.datasets.TabularSplit;
import dev.mi4j.defenses.output.IdentityPolicy;
import dev.mi4j.defenses.output.LabelOnly;
import dev.mi4j.defenses.output.OutputPolicy;
import dev.mi4j.defenses.output.PolicyTabularClassifier;
import dev.mi4j.defenses.training.TrainingDefense;
import dev.mi4j.experiments.report.TextTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an attribute-inference study (CCS 2015 Section 4): for each seed, a stratified split of
 * the table into members and non-members, every target trained on the members, and every attack
 * run against every target behind every release (attacks that never query the model, the prior
 * baseline and the white-box tree estimator, once per target) on the members and on the
 * non-members, the sensitive value hidden. The attacker knows the members' marginal of the
 * sensitive column (CCS 2015 gives the attacker the training data's marginals), each record's other
 * features and label, the model's confusion matrix on its training data when only labels are
 * released, and the tree with its counts in the white-box setting. Counts are pooled over seeds.
 */
public final class AttributeStudy {

    private static final Logger LOG = LoggerFactory.getLogger(AttributeStudy.class);

    /**
     * One line of the study's table: pooled over seeds.
     *
     * @param target      target name
     * @param model       cart, logreg or mlp
     * @param defense     training defense spec, or "none"
     * @param release     output policy spec, or "n/a" for attacks that do not query
     * @param attack      attack name
     * @param variant     short name with non-default parameters, for the table
     * @param params      the attack's parameters
     * @param members     pooled scores on the training records
     * @param nonMembers  pooled scores on the held-out records
     * @param trainAcc    mean accuracy of the target on its training records
     * @param testAcc     mean accuracy on the held-out records
     * @param queries     model queries spent, all seeds
     * @param fallbacks   records where the prior decided (the model told nothing), all seeds and both populations
     */
    public record Row(String target, String model, String defense, String release, String attack, String variant,
                      Map<String, Object> params,
                      InferenceScores members, InferenceScores nonMembers, double trainAcc, double testAcc, long queries,
                      int fallbacks) {

        /** Short label for charts: "tree / label / blackbox". */
        public String label() {
            return target + (release.equals("n/a") ? "" : " / " + release) + " / " + variant;
        }
    }

    /**
     * What a run gives back.
     *
     * @param rows       the table's rows
     * @param models     provenance of every trained target, per seed
     * @param data       how the table was read
     * @param millis     wall time
     */
    public record Result(List<Row> rows, List<TabularProvenance> models, Map<String, Object> data, long millis) {
    }

    private final AttributeStudyConfig cfg;
    private final boolean quick;

    public AttributeStudy(AttributeStudyConfig cfg, boolean quick) {
        this.cfg = cfg;
        this.quick = quick;
    }

    /** The seeds this run uses (--quick keeps the first {@code quick.seeds}). */
    public List<Long> seeds() {
        return quick ? cfg.seeds().subList(0, Math.min(cfg.seeds().size(), cfg.quick().seeds())) : cfg.seeds();
    }

    public Result run(Optional<Path> dataPath) {
        long start = System.currentTimeMillis();
        TabularDatasets.Loaded loaded = TabularDatasets.load(cfg.dataset(), dataPath);
        TabularData data = loaded.data();
        String sensitiveName = cfg.sensitive() != null ? cfg.sensitive() : loaded.spec().sensitive();
        String positiveName = cfg.positive() != null ? cfg.positive() : loaded.spec().positive();
        int s;
        try {
            s = data.schema().index(sensitiveName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sensitive: " + e.getMessage(), e);
        }
        int positive = data.schema().column(s).indexOf(positiveName);
        if (positive < 0 || !data.schema().column(s).categorical()) {
            throw new IllegalArgumentException("positive: '" + positiveName + "' is not a category of " + sensitiveName);
        }
        Map<String, Acc> acc = new LinkedHashMap<>();
        List<TabularProvenance> models = new ArrayList<>();
        for (long seed : seeds()) {
            TabularSplit split = TabularSplit.of(data, cfg.members(), seed);
            double[] prior = split.members().marginal(s);
            for (AttributeStudyConfig.Target t : cfg.targets()) {
                Trained m = train(t, split, seed, loaded);
                models.add(m.provenance);
                double[][] confusion = ConfusionMatrix.of(m.model, split.members());
                List<OutputPolicy> releases = cfg.policies();
                for (int r = 0; r < releases.size(); r++) {
                    OutputPolicy policy = releases.get(r);
                    TabularClassifier view = policy instanceof IdentityPolicy ? m.model
                            : new PolicyTabularClassifier(m.model, policy);
                    for (int a = 0; a < cfg.attacks().size(); a++) {
                        AttributeAttackSpec spec = cfg.attackSpec(a);
                        AttackParams params = cfg.attackParams(a);
                        if (spec.needs(params).contains(AttributeKnowledge.Need.TREE) && !(m.model instanceof DecisionTree)) {
                            continue; // the white-box tree estimator has nothing to read in a network
                        }
                        if (!spec.queriesModel() && r > 0) {
                            continue; // the same answers whatever the release
                        }
                        if (spec.name().equals(BlackBoxMap.NAME)) {
                            params = params.with("output", policy instanceof LabelOnly ? "labels" : "confidences");
                        }
                        AttributeKnowledge k = AttributeKnowledge.blackBox(view, s, prior);
                        if (spec.needs(params).contains(AttributeKnowledge.Need.CONFUSION)) {
                            k = k.withConfusion(confusion);
                        }
                        if (spec.needs(params).contains(AttributeKnowledge.Need.TREE)) {
                            k = k.withTree((DecisionTree) m.model);
                        }
                        AttributeAttack attack = spec.create(params, k);
                        String release = spec.queriesModel() ? policy.spec() : "n/a";
                        String key = t.name() + "|" + release + "|" + a;
                        Acc row = acc.computeIfAbsent(key, x -> new Acc());
                        row.target = t;
                        row.release = release;
                        row.attack = spec.name();
                        row.variant = variant(spec, cfg.attackParams(a));
                        row.params = params.asMap();
                        row.add(attack, split.members(), split.nonMembers(), s, positive, m.provenance);
                    }
                }
            }
            LOG.info("seed {} done ({} ms so far)", seed, System.currentTimeMillis() - start);
        }
        List<Row> rows = new ArrayList<>();
        for (Acc a : acc.values()) {
            rows.add(a.row());
        }
        Map<String, Object> dataProv = new LinkedHashMap<>(data.provenance());
        dataProv.put("sensitive", sensitiveName);
        dataProv.put("positive", positiveName);
        dataProv.put("origin", loaded.resolved().origin());
        return new Result(rows, models, dataProv, System.currentTimeMillis() - start);
    }

    /** A target trained on a split's members, with its provenance. */
    public record Trained(TabularClassifier model, TabularProvenance provenance) {
    }

    private Trained train(AttributeStudyConfig.Target t, TabularSplit split, long seed, TabularDatasets.Loaded loaded) {
        return train(t, split, seed, loaded, quick ? cfg.quick().epochs() : null);
    }

    /**
     * Trains target {@code t} on {@code split}'s members (the one place a tabular target is trained:
     * the study and {@code mi4j train} on a table).
     *
     * @param maxEpochs networks' epochs at most, or null for the target's own
     */
    public static Trained train(AttributeStudyConfig.Target t, TabularSplit split, long seed, TabularDatasets.Loaded loaded,
                                Integer maxEpochs) {
        long t0 = System.currentTimeMillis();
        TabularClassifier model;
        String description;
        Map<String, Object> hp;
        Map<String, Object> defenseReport = null;
        if (t.tree()) {
            CartTree.Config c = t.cartConfig(seed);
            CartTree tree = CartTree.train(split.members(), c);
            model = tree;
            description = tree.describe();
            hp = c.asMap();
        } else {
            TrainingConfig tc = t.trainingConfig(seed, maxEpochs);
            Optional<TrainingDefense> defense = t.trainingDefense();
            TabularNetwork.Trained n = TabularNetwork.train(t.kind(), t.hiddenUnits(), split.members(), tc,
                    defense.<java.util.function.Supplier<dev.mi4j.core.train.GradientHook>>map(d -> d::newHook).orElse(null));
            model = n.network();
            description = n.network().describe();
            hp = new LinkedHashMap<>(tc.asMap());
            hp.put("architecture", n.network().architecture());
            defense.ifPresent(d -> hp.put("defense", d.describe()));
            defenseReport = n.run().defense();
        }
        long millis = System.currentTimeMillis() - t0;
        double trainAcc = TabularProvenance.accuracy(model, split.members());
        double testAcc = TabularProvenance.accuracy(model, split.nonMembers());
        model.resetQueryCount();
        TabularProvenance p = TabularProvenance.create(loaded.data().name(), loaded.resolved().manifestSha256(),
                loaded.data().provenance(), split.description(), t.model(), t.name() + ": " + description, hp,
                split.members().classes(), trainAcc, testAcc, millis, defenseReport);
        return new Trained(model, p);
    }

    /**
     * The attack's short name with the parameters set away from their defaults, e.g.
     * "whitebox (counts=label)"; the black-box's {@code output} is left out (the release sets it).
     */
    public static String variant(AttributeAttackSpec spec, AttackParams params) {
        List<String> changed = new ArrayList<>();
        params.asMap().forEach((k, v) -> {
            if (!(spec.name().equals(BlackBoxMap.NAME) && k.equals("output"))
                    && !v.equals(spec.defaults().get(k))) {
                changed.add(k + "=" + v);
            }
        });
        String shortName = spec.name().replace("attribute-", "");
        return changed.isEmpty() ? shortName : shortName + " (" + String.join(", ", changed) + ")";
    }

    /** Pooled counts of one row over seeds. */
    private static final class Acc {
        AttributeStudyConfig.Target target;
        String release;
        String attack;
        String variant;
        Map<String, Object> params;
        int[] mem = new int[6];
        int[] non = new int[6];
        double trainAcc;
        double testAcc;
        int seeds;
        long queries;
        int fallbacks;

        void add(AttributeAttack attack, TabularData members, TabularData nonMembers, int s, int positive,
                 TabularProvenance p) {
            add(mem, attack, members, s, positive);
            add(non, attack, nonMembers, s, positive);
            trainAcc += p.trainAccuracy();
            testAcc += p.testAccuracy();
            seeds++;
        }

        private void add(int[] into, AttributeAttack attack, TabularData d, int s, int positive) {
            int[] truth = d.categoryIndices(s);
            AttributeInference inf = attack.infer(AttributeTargets.hide(d.records(), s), d.labels());
            InferenceScores sc = InferenceScores.of(truth, inf.inferred(), positive);
            into[0] += sc.n();
            into[1] += sc.tp();
            into[2] += sc.fp();
            into[3] += sc.fn();
            into[4] += sc.tn();
            into[5] += sc.correct();
            queries += inf.queries();
            fallbacks += inf.fallbacks();
        }

        Row row() {
            return new Row(target.name(), target.model(), target.defense() == null ? "none" : target.defense(), release,
                    attack, variant, params, scores(mem), scores(non), trainAcc / seeds, testAcc / seeds, queries, fallbacks);
        }

        private static InferenceScores scores(int[] c) {
            return new InferenceScores(c[0], c[1], c[2], c[3], c[4], c[5]);
        }
    }

    // ---- reporting ----

    /** The study's table. */
    public static TextTable table(List<Row> rows) {
        TextTable t = new TextTable(List.of("target", "release", "attack", "model acc train/test", "members acc",
                "prec(Yes)", "recall(Yes)", "non-members acc", "prec(Yes)", "recall(Yes)", "queries"));
        for (Row r : rows) {
            t.row(List.of(r.target(), r.release(), r.variant(),
                    pct(r.trainAcc()) + " / " + pct(r.testAcc()),
                    pct(r.members().accuracy()), pct(r.members().precision()), pct(r.members().recall()),
                    pct(r.nonMembers().accuracy()), pct(r.nonMembers().precision()), pct(r.nonMembers().recall()),
                    String.format(Locale.ROOT, "%,d", r.queries())));
        }
        return t;
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /**
     * The paper's qualitative claims, checked on these rows. For each tree target: white-box beats
     * black-box beats the prior, on members' accuracy and on members' precision for the positive
     * value, the black-box being the paper's (Fredrikson et al. 2014: labels and the confusion
     * matrix, release "label") and, separately, the one that reads confidences (release
     * "identity"). For every attack on every target: members leak more than non-members, i.e. its
     * accuracy gain over the prior baseline on the same records is larger on members (the two
     * populations' base rates differ, and the prior's accuracy with them, so raw accuracies would
     * compare the splits rather than the leak). Each line says "holds" or "does not hold" with the
     * numbers; an undefined precision (no positive guess) counts as 0.
     */
    public static List<String> claims(List<Row> rows) {
        List<String> out = new ArrayList<>();
        Map<String, List<Row>> byTarget = new LinkedHashMap<>();
        rows.forEach(r -> byTarget.computeIfAbsent(r.target(), k -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<Row>> e : byTarget.entrySet()) {
            Row wb = find(e.getValue(), "attribute-whitebox", null);
            Row prior = find(e.getValue(), "attribute-prior", null);
            for (String release : List.of("label", "identity")) {
                Row bb = find(e.getValue(), BlackBoxMap.NAME, release);
                if (wb == null || bb == null || prior == null) {
                    continue;
                }
                String which = release.equals("label") ? "black-box on labels (the paper's)" : "black-box on confidences";
                for (boolean precision : new boolean[] {false, true}) {
                    double w = metric(wb, precision);
                    double b = metric(bb, precision);
                    double p = metric(prior, precision);
                    out.add(String.format(Locale.ROOT, "%s, members' %s: %s %s > %s %s > prior %s: %s", e.getKey(),
                            precision ? "precision(Yes)" : "accuracy", wb.variant(), pct(w), which, pct(b), pct(p),
                            w > b && b > p ? "holds" : "does not hold"));
                }
            }
            for (Row r : e.getValue()) {
                if (r.attack().equals("attribute-prior") || prior == null) {
                    continue;
                }
                double m = r.members().accuracy() - prior.members().accuracy();
                double n = r.nonMembers().accuracy() - prior.nonMembers().accuracy();
                out.add(String.format(Locale.ROOT, "%s, members leak more than non-members (accuracy gain over the prior"
                        + " %s vs %s): %s", r.label(), signedPoints(m), signedPoints(n), m > n ? "holds" : "does not hold"));
            }
        }
        return out;
    }

    private static double metric(Row r, boolean precision) {
        double v = precision ? r.members().precision() : r.members().accuracy();
        return Double.isNaN(v) ? 0 : v;
    }

    private static String signedPoints(double v) {
        return String.format(Locale.ROOT, "%+.1f pt", 100 * v);
    }

    /** The first row of {@code attack} (with {@code release}, when not null), its default variant first. */
    private static Row find(List<Row> rows, String attack, String release) {
        Row any = null;
        for (Row r : rows) {
            if (r.attack().equals(attack) && (release == null || r.release().equals(release))) {
                if (r.variant().equals(attack.replace("attribute-", ""))) {
                    return r;
                }
                any = any == null ? r : any;
            }
        }
        return any;
    }

    /** summary.json: the config, the data's provenance, every row with its counts, every model's provenance. */
    public static void writeSummary(AttributeStudyConfig cfg, Path configFile, boolean quick, List<Long> seeds, Result res,
                                    TextTable table, List<String> claims, Path outDir) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("study", cfg.name());
        doc.put("config", configFile.toString());
        doc.put("quick", quick);
        doc.put("seeds", seeds);
        doc.put("members", cfg.members());
        doc.put("data", res.data());
        doc.put("backend", BackendInfo.describe());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row r : res.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", r.target());
            m.put("model", r.model());
            m.put("defense", r.defense());
            m.put("release", r.release());
            m.put("attack", r.attack());
            m.put("variant", r.variant());
            m.put("params", r.params());
            m.put("trainAccuracy", r.trainAcc());
            m.put("testAccuracy", r.testAcc());
            m.put("members", r.members().asMap());
            m.put("nonMembers", r.nonMembers().asMap());
            m.put("queries", r.queries());
            m.put("priorFallbacks", r.fallbacks());
            rows.add(m);
        }
        doc.put("rows", rows);
        doc.put("claims", claims);
        doc.put("models", res.models());
        doc.put("millis", res.millis());
        AtomicFiles.writeString(outDir.resolve("summary.json"), Json.toJson(doc));
        AtomicFiles.writeString(outDir.resolve("summary.txt"), table.toString() + String.join("\n", claims) + "\n");
    }

    /**
     * {@code mi4j reproduce} for a study config: runs it, prints the table and the claims check,
     * writes summary.json, summary.txt and attribute-inference.png into the output folder.
     *
     * @param out      output folder, or null for the config's ({@code -quick} appended for --quick)
     * @param dataPath explicit dataset path, or null
     */
    public static int reproduce(Path configFile, boolean quick, Path out, Path dataPath) {
        long start = System.nanoTime();
        AttributeStudyConfig cfg = AttributeStudyConfig.load(configFile);
        Path outDir = out != null ? out : Path.of(cfg.output() + (quick ? "-quick" : ""));
        AttributeStudy study = new AttributeStudy(cfg, quick);
        LOG.info("reproducing {} from {} into {}", cfg.name(), configFile, outDir);
        Result res = study.run(Optional.ofNullable(dataPath));
        TextTable table = table(res.rows());
        List<String> claims = claims(res.rows());
        writeSummary(cfg, configFile, quick, study.seeds(), res, table, claims, outDir);
        String positive = String.valueOf(res.data().get("positive"));
        AttributeStudyChart.write(res.rows(), positive, cfg.name(), outDir.resolve("attribute-inference.png"));
        System.out.println(cfg.name() + (quick ? " (quick)" : "") + ": " + cfg.description());
        System.out.printf(Locale.ROOT, "%s: %s records (%s), sensitive %s, positive '%s'; %d seed(s) %s, members %.0f%%;"
                        + " counts pooled over seeds%n", res.data().get("dataset"), res.data().get("rowsKept"),
                res.data().get("origin"), res.data().get("sensitive"), positive, study.seeds().size(), study.seeds(),
                100 * cfg.members());
        System.out.print(table);
        System.out.println();
        claims.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "results: %s (chart %s; total %.1f s)%n", outDir, outDir.resolve("attribute-inference.png"),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
