package dev.mi4j.experiments.audit;

import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.attribute.AttributeAttack;
import dev.mi4j.attacks.attribute.AttributeAttackSpec;
import dev.mi4j.attacks.attribute.AttributeInference;
import dev.mi4j.attacks.attribute.AttributeKnowledge;
import dev.mi4j.attacks.attribute.AttributeTargets;
import dev.mi4j.attacks.attribute.BlackBoxMap;
import dev.mi4j.attacks.attribute.InferenceScores;
import dev.mi4j.attacks.attribute.PriorBaseline;
import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.BuildInfo;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.tabular.ConfusionMatrix;
import dev.mi4j.core.tabular.DecisionTree;
import dev.mi4j.core.tabular.TabularClassifier;
import dev.mi4j.core.tabular.TabularColumn;
import dev.mi4j.core.tabular.TabularData;
import dev.mi4j.core.tabular.TabularModelFile;
import dev.mi4j.datasets.TabularDatasets;
import dev.mi4j.datasets.TabularSplit;
import dev.mi4j.defenses.output.IdentityPolicy;
import dev.mi4j.defenses.output.LabelOnly;
import dev.mi4j.defenses.output.OutputPolicy;
import dev.mi4j.defenses.output.PolicyTabularClassifier;
import dev.mi4j.experiments.attribute.AttributeStudy;
import dev.mi4j.experiments.pipeline.OutputFolder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The audit of a tabular model (CCS 2015 Section 4's setting): can an attacker who knows a person's
 * other answers and the model's output for them infer the person's sensitive answer (on the steak
 * survey: "have you ever cheated on your partner?") better than the population's statistics alone
 * allow? Every configured attribute-inference attack runs on the records the model was trained on
 * (its file says which: {@link TabularModelFile.Split}) and, apart, on the held-out records, so the
 * report separates what the model memorised from what any model of the population would reveal.
 * The black-box estimator is then re-run behind each output countermeasure. The attacker's
 * knowledge is the study's: the training records' marginal of the sensitive column, each record's
 * other features and label, the confusion matrix on the training records for label-only releases,
 * and for a tree the tree with its counts (white-box).
 *
 * <p>Each attack row is judged by {@link AttributeRisk} against the prior baseline on the training
 * records; the model's risk is its strongest attack's. Writes {@code verdict.json} and
 * {@code report.html} ({@link TabularAuditReport}); nothing is written when the model does not fit
 * the table.
 */
public final class TabularAudit {

    /**
     * How the audit runs.
     *
     * @param outDir      output folder
     * @param queryBudget records each black-box run may send (null or 0: unlimited)
     * @param configFile  the audit config file, or null for the built-in defaults
     */
    public record Options(Path outDir, Long queryBudget, Path configFile) {
    }

    /**
     * One attack run, judged.
     *
     * @param attack       registry name
     * @param variant      short name with non-default parameters
     * @param release      the output policy it saw ("n/a" for attacks that do not query)
     * @param params       its parameters
     * @param judged       scores on the judged records (training records; all records when the file does not say)
     * @param heldOut      scores on the held-out records (null when the file does not say)
     * @param judgement    the risk and what it rests on
     * @param heldOutGain  accuracy gain over the prior on the held-out records (NaN without them)
     * @param queries      model queries
     * @param fallbacks    records where the prior decided
     * @param millis       wall time
     * @param exposed      ids of the judged records whose positive value it inferred correctly
     */
    public record Row(String attack, String variant, String release, Map<String, Object> params, InferenceScores judged,
                      InferenceScores heldOut, AttributeRisk.Judgement judgement, double heldOutGain, long queries,
                      int fallbacks, long millis, List<String> exposed) {
    }

    /** The audit's result. */
    public record Outcome(Risk overall, Row decisive, List<Row> attacks, List<Row> countermeasures,
                          List<Map<String, String>> skipped, Path outDir, long millis) {
    }

    private final TabularModelFile.Loaded model;
    private final Path modelFile;
    private final TabularDatasets.Loaded table;
    private final AttributeAuditConfig cfg;
    private final Options o;

    public TabularAudit(Path modelFile, TabularModelFile.Loaded model, TabularDatasets.Loaded table, AttributeAuditConfig cfg,
                        Options options) {
        this.modelFile = modelFile;
        this.model = model;
        this.table = table;
        this.cfg = cfg;
        this.o = options;
    }

    /** Refuses, before anything is written, a model whose columns or classes are not the table's. */
    public static void check(Path modelFile, TabularModelFile.Loaded m, TabularDatasets.Loaded table) {
        TabularClassifier c = m.model();
        TabularData d = table.data();
        List<String> want = d.schema().names();
        List<String> have = c.schema().names();
        if (!want.equals(have)) {
            throw new Mi4jException("model file " + modelFile + " takes the columns " + have + " but " + d.name()
                    + " has " + want);
        }
        for (int i = 0; i < want.size(); i++) {
            TabularColumn a = c.schema().column(i);
            TabularColumn b = d.schema().column(i);
            if (a.kind() != b.kind() || !a.categories().equals(b.categories())) {
                throw new Mi4jException("model file " + modelFile + ": column " + a.name() + " has categories "
                        + a.categories() + " but " + d.name() + "'s has " + b.categories());
            }
        }
        if (!c.classes().equals(d.classes())) {
            throw new Mi4jException("model file " + modelFile + " predicts the classes " + c.classes() + " but "
                    + d.name() + "'s label has " + d.classes());
        }
    }

    public Outcome run() {
        long start = System.currentTimeMillis();
        check(modelFile, model, table);
        TabularData data = table.data();
        String sensitiveName = table.spec().sensitive();
        int s = data.schema().index(sensitiveName);
        int positive = data.schema().column(s).indexOf(table.spec().positive());
        TabularSplit split = model.split() == null ? null
                : TabularSplit.of(data, model.split().members(), model.split().seed());
        TabularData judged = split == null ? data : split.members();
        TabularData heldOut = split == null ? null : split.nonMembers();
        OutputFolder.prepare(o.outDir());

        TabularClassifier target = model.model();
        double[] prior = judged.marginal(s);
        double[][] confusion = ConfusionMatrix.of(target, judged);
        target.resetQueryCount();

        List<Row> attacks = new ArrayList<>();
        List<Map<String, String>> skipped = new ArrayList<>();
        // The prior baseline first: every other row is judged against it.
        AttributeAttack base = new PriorBaseline(AttributeKnowledge.blackBox(target, s, prior));
        int[] priorGuess = base.infer(AttributeTargets.hide(judged.records(), s), judged.labels()).inferred();
        int[] heldOutPriorGuess = heldOut == null ? null
                : base.infer(AttributeTargets.hide(heldOut.records(), s), heldOut.labels()).inferred();
        for (int a = 0; a < cfg.attacks().size(); a++) {
            AttackParams params = cfg.params(a);
            AttributeAttackSpec spec = cfg.spec(a);
            if (spec.needs(params).contains(AttributeKnowledge.Need.TREE) && !(target instanceof DecisionTree)) {
                skipped.add(Map.of("attack", AttributeStudy.variant(spec, params), "reason",
                        "reads a decision tree; the model is a " + model.kind()));
                continue;
            }
            Row r = attack(spec, params, IdentityPolicy.INSTANCE, target, s, positive, prior, confusion, judged, heldOut,
                    priorGuess, heldOutPriorGuess, skipped);
            if (r != null) {
                attacks.add(r);
            }
        }
        List<Row> cms = new ArrayList<>();
        AttributeAttackSpec bbSpec = dev.mi4j.attacks.AttackRegistry.attribute(BlackBoxMap.NAME);
        AttackParams bb = bbSpec.defaults();
        for (OutputPolicy p : cfg.policies()) {
            Row r = attack(bbSpec, bb, p, target, s, positive, prior, confusion, judged, heldOut,
                    priorGuess, heldOutPriorGuess, skipped);
            if (r != null) {
                cms.add(r);
            }
        }
        Row decisive = null;
        for (Row r : attacks) {
            if (decisive == null || AttributeRisk.stronger(r.judgement(), decisive.judgement())) {
                decisive = r;
            }
        }
        if (decisive == null) {
            throw new Mi4jException("audit: no attack could run against " + modelFile + " (" + skipped + ")");
        }
        Outcome out = new Outcome(decisive.judgement().risk(), decisive, attacks, cms, skipped, o.outDir(),
                System.currentTimeMillis() - start);
        Map<String, Object> v = verdict(out, data, split, sensitiveName);
        AtomicFiles.writeString(o.outDir().resolve(Audit.VERDICT), Json.toJson(v));
        TabularAuditReport.write(o.outDir(), Json.mapper().valueToTree(v));
        return out;
    }

    /** One attack behind one release, scored on the judged and held-out records; null (and a skip) past the budget. */
    private Row attack(AttributeAttackSpec spec, AttackParams params, OutputPolicy policy, TabularClassifier target, int s,
                       int positive, double[] prior, double[][] confusion, TabularData judged, TabularData heldOut,
                       int[] priorGuess, int[] heldOutPriorGuess, List<Map<String, String>> skipped) {
        String release = spec.queriesModel() ? policy.spec() : "n/a";
        String name = AttributeStudy.variant(spec, params);
        if (spec.name().equals(BlackBoxMap.NAME)) {
            params = params.with("output", policy instanceof LabelOnly ? "labels" : "confidences");
        }
        if (spec.queriesModel() && o.queryBudget() != null && o.queryBudget() > 0) {
            long need = (long) (judged.size() + (heldOut == null ? 0 : heldOut.size()))
                    * target.schema().column(s).cardinality();
            if (need > o.queryBudget()) {
                skipped.add(Map.of("attack", name + " (" + release + ")", "reason", "needs " + need
                        + " queries (one per candidate value per record), over --query-budget " + o.queryBudget()));
                return null;
            }
        }
        TabularClassifier view = policy instanceof IdentityPolicy ? target : new PolicyTabularClassifier(target, policy);
        AttributeKnowledge k = AttributeKnowledge.blackBox(view, s, prior);
        if (spec.needs(params).contains(AttributeKnowledge.Need.CONFUSION)) {
            k = k.withConfusion(confusion);
        }
        if (spec.needs(params).contains(AttributeKnowledge.Need.TREE)) {
            k = k.withTree((DecisionTree) target);
        }
        AttributeAttack attack = spec.create(params, k);
        long t0 = System.currentTimeMillis();
        AttributeInference inf = attack.infer(AttributeTargets.hide(judged.records(), s), judged.labels());
        int[] truth = judged.categoryIndices(s);
        int[] guess = inf.inferred();
        InferenceScores sc = InferenceScores.of(truth, guess, positive);
        InferenceScores priorSc = InferenceScores.of(truth, priorGuess, positive);
        AttributeRisk.Judgement j = AttributeRisk.judge(cfg, sc, priorSc, truth, guess, priorGuess);
        InferenceScores ho = null;
        double hoGain = Double.NaN;
        long queries = inf.queries();
        int fallbacks = inf.fallbacks();
        if (heldOut != null) {
            AttributeInference hi = attack.infer(AttributeTargets.hide(heldOut.records(), s), heldOut.labels());
            int[] hTruth = heldOut.categoryIndices(s);
            ho = InferenceScores.of(hTruth, hi.inferred(), positive);
            hoGain = ho.accuracy() - InferenceScores.of(hTruth, heldOutPriorGuess, positive).accuracy();
            queries += hi.queries();
            fallbacks += hi.fallbacks();
        }
        List<String> exposed = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == positive && guess[i] == positive) {
                exposed.add(judged.ids().get(i));
            }
        }
        return new Row(spec.name(), name, release, params.asMap(), sc, ho, j, hoGain, queries, fallbacks,
                System.currentTimeMillis() - t0, exposed);
    }

    private Map<String, Object> verdict(Outcome out, TabularData data, TabularSplit split, String sensitive) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("verdict", out.overall().name());
        v.put("summary", summaryLine(out));
        v.put("kind", "attribute-inference");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("rule", cfg.rule());
        t.put("gainHigh", cfg.gainHigh());
        t.put("gainMedium", cfg.gainMedium());
        t.put("precisionHigh", cfg.precisionHigh());
        t.put("precisionMedium", cfg.precisionMedium());
        t.put("minExposed", cfg.minExposed());
        t.put("alpha", cfg.alpha());
        v.put("thresholds", t);
        v.put("decidedBy", out.decisive().variant());
        v.put("attacks", rows(out.attacks()));
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("attack", "black-box MAP estimator (attribute-blackbox)");
        cm.put("note", "re-run behind each output policy; the white-box estimator reads the published tree and is not"
                + " affected by what the API releases");
        cm.put("rows", rows(out.countermeasures()));
        v.put("countermeasures", cm);
        v.put("skipped", out.skipped());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", modelFile.toString());
        m.put("sha256", model.sha256());
        m.put("kind", model.kind());
        m.put("classes", model.model().classes());
        m.put("trainingRecords", model.split() == null ? null : Map.of("members", model.split().members(),
                "seed", model.split().seed()));
        m.put("provenance", model.provenance());
        v.put("model", m);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", data.name());
        d.put("origin", table.resolved().origin());
        d.put("manifestSha256", table.resolved().manifestSha256());
        d.put("records", data.size());
        d.put("sensitive", sensitive);
        d.put("positive", table.spec().positive());
        d.put("judged", split == null ? "all records (the model file does not say which records it was trained on)"
                : "the " + split.members().size() + " training records (" + split.description() + ")");
        d.put("heldOut", split == null ? 0 : split.nonMembers().size());
        v.put("dataset", d);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("file", o.configFile() == null ? null : o.configFile().toString());
        c.put("sha256", o.configFile() == null ? null : dev.mi4j.core.io.Sha256.of(o.configFile()));
        c.put("queryBudget", o.queryBudget());
        c.put("attacks", cfg.attacks());
        c.put("countermeasures", cfg.countermeasures());
        v.put("config", c);
        Map<String, Object> mi = new LinkedHashMap<>();
        mi.put("version", BuildInfo.version());
        mi.put("gitCommit", BuildInfo.gitCommit());
        v.put("mi4j", mi);
        v.put("backend", BackendInfo.describe());
        v.put("createdAt", Instant.now().toString());
        v.put("totalMillis", out.millis());
        return v;
    }

    private static List<Map<String, Object>> rows(List<Row> rows) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attack", r.attack());
            m.put("variant", r.variant());
            m.put("release", r.release());
            m.put("params", r.params());
            m.put("risk", r.judgement().risk().name());
            m.put("because", r.judgement().because());
            m.put("gain", r.judgement().gain());
            m.put("mcnemarP", r.judgement().pValue());
            m.put("judged", r.judged().asMap());
            m.put("heldOut", r.heldOut() == null ? null : r.heldOut().asMap());
            m.put("heldOutGain", Double.isNaN(r.heldOutGain()) ? null : r.heldOutGain());
            m.put("exposed", r.exposed());
            m.put("modelQueries", r.queries());
            m.put("fallbacks", r.fallbacks());
            m.put("millis", r.millis());
            l.add(m);
        }
        return l;
    }

    /** One line: the verdict and what it rests on. */
    public static String summaryLine(Outcome out) {
        Row d = out.decisive();
        if (d.judgement().gain() <= 0 && d.exposed().isEmpty()) {
            return String.format(Locale.ROOT, "%s risk: no attack infers the sensitive value of the training records better"
                    + " than the prior (accuracy %.3f) or reveals any positive record", out.overall(), d.judged().accuracy());
        }
        return String.format(Locale.ROOT, "%s risk: %s infers the sensitive value of the training records with accuracy"
                        + " %.3f (prior %.3f) and reveals %d positive records at precision %s",
                out.overall(), d.variant() + (d.release().equals("n/a") ? "" : " (" + d.release() + ")"),
                d.judged().accuracy(), d.judged().accuracy() - d.judgement().gain(), d.exposed().size(),
                Double.isNaN(d.judged().precision()) ? "n/a" : String.format(Locale.ROOT, "%.2f", d.judged().precision()));
    }
}
