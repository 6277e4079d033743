package dev.mi4j.experiments.cli;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.datasets.DatasetRegistry;
import dev.mi4j.datasets.Datasets;
import dev.mi4j.datasets.ImageFolderDataset;
import dev.mi4j.datasets.LoadOptions;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.core.io.Sha256;
import dev.mi4j.experiments.audit.Audit;
import dev.mi4j.experiments.audit.AuditConfig;
import dev.mi4j.experiments.audit.AuditModels;
import dev.mi4j.experiments.audit.AuditReport;
import dev.mi4j.experiments.audit.AuditedModel;
import dev.mi4j.experiments.audit.Risk;
import dev.mi4j.experiments.audit.TabularAudit;
import dev.mi4j.core.tabular.TabularModelFile;
import dev.mi4j.datasets.TabularDatasets;
import dev.mi4j.experiments.config.ExperimentConfig;
import dev.mi4j.experiments.pipeline.TargetProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** mi4j audit: the attacks that fit a model, a risk per identity and overall, and a verdict a CI pipeline can gate on. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Audit a face-recognition model for model inversion: white-box MI-Face (when the model gives gradients),"
                + " black-box MI-Face within a query budget, GMI (with --public), each reconstruction judged by an independent"
                + " evaluation model; the strongest output-only attack re-run behind each output countermeasure. Writes"
                + " report.html and verdict.json and prints the verdict. A tabular model (mi4j train on a table) is audited for"
                + " attribute inference instead (CCS 2015 Section 4: prior, black-box and white-box estimators on its training"
                + " records, the black-box one behind each output countermeasure).",
                "Exit codes: 0 done, 2 bad input (one line naming it; nothing written), 3 the risk reached --fail-on, 1 internal error."})
final class AuditCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The model: a .zip saved by mi4j (with its .provenance.json), a Keras .h5, an ONNX file or another"
                    + " DL4J zip (MultiLayerNetwork or ComputationGraph); the format is read from the file's content. A tabular"
                    + " model (.json written by mi4j train on a table) is audited for attribute inference instead.")
    Path model;

    @Option(names = "--dataset", required = true, paramLabel = "NAME|DIR",
            description = "The identities the model recognises: a registered dataset (att-faces, lfw-min70, yale) or a folder"
                    + " with one sub-folder of images per identity, in the order of the model's outputs (natural order: s1, s2, ..., s10);"
                    + " for a tabular model, its table (steak-survey).")
    String dataset;

    @Option(names = "--data-path", paramLabel = "DIR", description = "Explicit folder of a registered --dataset.")
    Path dataPath;

    @Option(names = "--public", paramLabel = "NAME|DIR",
            description = "Public faces of other people (a registered dataset or a folder): enables GMI (its GAN prior is trained"
                    + " on them) and MI-Face's mean-face start.")
    String publicFaces;

    @Option(names = "--query-budget", paramLabel = "N",
            description = "Images each black-box attack run may send to the model (0: unlimited). Default: the config's (unlimited).")
    Long queryBudget;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Audit config (attacks, thresholds). Default: configs/audit.yaml, else the built-in defaults it documents.")
    Path config;

    @Option(names = "--fail-on", paramLabel = "LEVEL",
            description = "low, medium or high: exit with code 3 when the overall risk is at least this (for CI release gates).")
    String failOn;

    @Option(names = "--quick", description = "A few iterations on a few identities: a smoke test of the audit, not a verdict.")
    boolean quick;

    @Option(names = "--input-scale", paramLabel = "X",
            description = "Imported models: the model takes [0, 1] pixels times X (e.g. 255). Default: 1.")
    Double inputScale;

    @Option(names = "--input-mean", split = ",", paramLabel = "M",
            description = "Imported models: per-channel mean subtracted after --input-scale (one value, or one per channel).")
    double[] inputMean;

    @Option(names = "--input-std", split = ",", paramLabel = "S",
            description = "Imported models: per-channel standard deviation divided by after the mean (one value, or one per channel).")
    double[] inputStd;

    @Option(names = "--resize",
            description = "Read the dataset at the model's input size (height x width, grey or colour) instead of refusing a mismatch;"
                    + " recorded in verdict.json.")
    boolean resize;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/audit-<model file name>.")
    Path out;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        common.apply();
        Risk gate = failOn == null ? null : Risk.parse(failOn, "--fail-on");
        if (queryBudget != null && queryBudget < 0) {
            throw new Mi4jException("--query-budget must be >= 0 (0 = unlimited), got " + queryBudget);
        }
        Path configFile = config != null ? config : Main.home().resolve("configs").resolve("audit.yaml");
        AuditConfig cfg = config != null || Files.isRegularFile(configFile) ? AuditConfig.load(configFile) : AuditConfig.defaults();
        if (TabularModelFile.is(model)) {
            return auditTable(cfg, configFile, gate, start);
        }
        AuditedModel m = AuditModels.load(model, new AuditModels.Preprocessing(inputScale, inputMean, inputStd));
        ImageShape shape = m.inputShape();
        LoadedDataset data = load(dataset, dataPath, shape.channels() == 1, resize ? shape.height() : 0,
                resize ? shape.width() : 0, "--dataset");
        Audit.PublicFaces pub = null;
        if (publicFaces != null) {
            LoadedDataset p = load(publicFaces, null, shape.channels() == 1, shape.height(), shape.width(), "--public");
            if (p.resolved().root().toAbsolutePath().normalize().equals(data.resolved().root().toAbsolutePath().normalize())) {
                throw new Mi4jException("--public " + publicFaces + " is the audit dataset itself: public faces must be other people's");
            }
            pub = new Audit.PublicFaces(p.images().name(), p.images().images(),
                    p.resolved().manifestSha256() + "@" + shape, p.images().size() + " images of " + p.images().numClasses()
                    + " people from " + p.resolved().root() + ", resized to " + shape);
        }
        Path outDir = out != null ? out : Path.of("runs", "audit-" + stem(model));
        Audit.check(m, data, pub, outDir);
        Audit.Options o = new Audit.Options(outDir, quick, queryBudget, TargetProvider.defaultCacheDir(), common.quiet(),
                Files.isRegularFile(configFile) ? configFile : null, Sha256.of(model));
        Audit.Outcome r = new Audit(m, data, pub, cfg, o).run();
        print(r, start);
        if (gate != null && r.overall().atLeast(gate)) {
            System.err.println("mi4j: audit: overall risk " + r.overall() + " reaches --fail-on " + gate.label());
            return Main.EXIT_RISK;
        }
        return 0;
    }

    /** A tabular model (mi4j train on a table): attribute inference on its training records. */
    private int auditTable(AuditConfig cfg, Path configFile, Risk gate, long start) {
        for (Object[] o : new Object[][] {{publicFaces, "--public"}, {inputScale, "--input-scale"}, {inputMean, "--input-mean"},
                {inputStd, "--input-std"}, {resize ? Boolean.TRUE : null, "--resize"}}) {
            if (o[0] != null) {
                throw new Mi4jException(o[1] + " is for image models; " + model + " is a tabular model");
            }
        }
        TabularModelFile.Loaded m = TabularModelFile.read(model);
        if (!TabularTraining.isTable(dataset)) {
            throw new Mi4jException("--dataset " + dataset + ": " + model + " is a tabular model; expected a registered table ("
                    + String.join(", ", DatasetRegistry.allTabular().stream().map(s -> s.name()).toList()) + ")");
        }
        TabularDatasets.Loaded table = TabularDatasets.load(dataset, Optional.ofNullable(dataPath));
        TabularAudit.check(model, m, table);
        Path outDir = out != null ? out : Path.of("runs", "audit-" + stem(model));
        TabularAudit.Outcome r = new TabularAudit(model, m, table, cfg.attribute(),
                new TabularAudit.Options(outDir, queryBudget, Files.isRegularFile(configFile) ? configFile : null)).run();
        System.out.println("verdict: " + TabularAudit.summaryLine(r));
        for (TabularAudit.Row row : r.attacks()) {
            printTableRow(row);
        }
        StringBuilder cm = new StringBuilder();
        for (TabularAudit.Row c : r.countermeasures()) {
            cm.append(cm.length() == 0 ? "" : ", ").append(c.release()).append(' ').append(c.judgement().risk());
        }
        System.out.println("  countermeasures (black-box MAP): " + cm);
        r.skipped().forEach(s -> System.out.println("  not run: " + s.get("attack") + ": " + s.get("reason")));
        System.out.printf(Locale.ROOT, "wrote %s and %s (%.1f s)%n", r.outDir().resolve(AuditReport.FILE),
                r.outDir().resolve(Audit.VERDICT), (System.nanoTime() - start) / 1e9);
        if (gate != null && r.overall().atLeast(gate)) {
            System.err.println("mi4j: audit: overall risk " + r.overall() + " reaches --fail-on " + gate.label());
            return Main.EXIT_RISK;
        }
        return 0;
    }

    private static void printTableRow(TabularAudit.Row row) {
        var j = row.judged();
        System.out.printf(Locale.ROOT, "  %-26s %-9s %-6s accuracy %.3f (gain %+.3f, p %.3g), %d positives revealed, precision %s;"
                        + " held out: gain %s; %,d queries%n",
                row.variant(), row.release(), row.judgement().risk(), j.accuracy(), row.judgement().gain(),
                row.judgement().pValue(), row.exposed().size(),
                Double.isNaN(j.precision()) ? "n/a" : String.format(Locale.ROOT, "%.2f", j.precision()),
                Double.isNaN(row.heldOutGain()) ? "n/a" : String.format(Locale.ROOT, "%+.3f", row.heldOutGain()), row.queries());
    }

    /** A registered dataset by name, or a folder of identity sub-folders (resized when height > 0). */
    private static LoadedDataset load(String value, Path explicit, boolean grey, int height, int width, String option) {
        Path dir = Path.of(value);
        if (Files.isDirectory(dir) && explicit == null) {
            return ImageFolderDataset.load(dir, grey, height, width);
        }
        try {
            DatasetRegistry.get(value);
        } catch (RuntimeException e) {
            throw new Mi4jException(option + " " + value + ": neither a folder nor a registered dataset ("
                    + String.join(", ", DatasetRegistry.all().stream().map(s -> s.name()).toList()) + ")");
        }
        if (height <= 0) {
            return new ExperimentConfig.DatasetConfig(value, null).load(Optional.ofNullable(explicit));
        }
        LoadOptions lo = new LoadOptions(grey, height, width);
        return Datasets.load(value, Optional.ofNullable(explicit), lo);
    }

    private static String stem(Path file) {
        String n = file.getFileName() == null ? "model" : file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    private static void print(Audit.Outcome r, long start) {
        System.out.println("verdict: " + Audit.summaryLine(r) + " (per identity under " + r.decisiveAttack() + ")");
        for (Audit.Run run : r.runs()) {
            if (run.kind().equals("countermeasure")) {
                continue;
            }
            var a = run.summary().report().aggregate();
            System.out.printf(Locale.ROOT, "  %-28s %-40s %2d identities, evaluator top-1 %.2f, %,d queries, %.1f s%n",
                    run.group(), run.variant(), run.risks().size(), a.top1Accuracy(), run.summary().modelQueries(),
                    run.summary().result().millis() / 1000.0);
        }
        StringBuilder cm = new StringBuilder();
        for (Audit.CountermeasureRow c : r.countermeasures()) {
            cm.append(cm.length() == 0 ? "" : ", ").append(c.policy()).append(' ').append(c.overall());
        }
        System.out.println("  countermeasures (" + r.countermeasureAttack() + "): " + cm);
        r.skipped().forEach(s -> System.out.println("  not run: " + s.get("attack") + ": " + s.get("reason")));
        System.out.printf(Locale.ROOT, "wrote %s and %s (%.1f s)%n", r.outDir().resolve(AuditReport.FILE),
                r.outDir().resolve(Audit.VERDICT), (System.nanoTime() - start) / 1e9);
    }
}
