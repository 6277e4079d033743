package dev.mi4j.experiments.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.Split;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.io.Sha256;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.GanStore;
import dev.mi4j.core.model.ModelFiles;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.experiments.config.ConfigLoader;
import dev.mi4j.experiments.config.ExperimentConfig;
import dev.mi4j.experiments.sweep.RunLayout;
import dev.mi4j.experiments.sweep.TrialExecutor;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a sweep's trials need, as files with checksums, so that another JVM (a cluster
 * executor) can build the same {@link AttackTrialExecutor} the driver would use: the config file,
 * where the data is and the fingerprint it must have, the trained target models, the evaluator and
 * the GAN prior, and the run directory. Nothing is trained where this is opened: the driver trains
 * and caches every model before the first trial is sent out. Every path is absolute, and must be
 * the same on every machine (a shared file system). Travels as JSON ({@link #toJson()}).
 *
 * @param configFile    the YAML config, absolute
 * @param configSha256  its SHA-256 when the sweep started
 * @param dataPath      the dataset folder to read (the one the driver resolved and verified); null
 *                      under a protocol without --data-path (then the usual lookup, MI4J_DATA_DIR ...)
 * @param datasetSha256 the data's manifest fingerprint, which the executor's copy must have
 * @param publicSha256  under a protocol, the public faces' fingerprint; else null
 * @param runDir        the run directory, absolute
 * @param targets       target name (the trials' {@code target} value) to model file
 * @param evaluator     the evaluation model, or null without classifier metrics
 * @param gan           the GAN prior, or null for attacks that need none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialEnvironment(@JsonProperty("configFile") String configFile,
                               @JsonProperty("configSha256") String configSha256,
                               @JsonProperty("dataPath") String dataPath,
                               @JsonProperty("datasetSha256") String datasetSha256,
                               @JsonProperty("publicSha256") String publicSha256,
                               @JsonProperty("runDir") String runDir,
                               @JsonProperty("targets") List<ModelRef> targets,
                               @JsonProperty("evaluator") ModelRef evaluator,
                               @JsonProperty("gan") ModelRef gan) {

    private static final Logger LOG = LoggerFactory.getLogger(TrialEnvironment.class);
    /** One executor per environment and JVM: the models are loaded once, whatever the number of tasks. */
    private static final Map<String, TrialExecutor> OPEN = new ConcurrentHashMap<>();

    /** A model: its name, absolute file and the {@link ModelFiles#checksum checksum} of its files. */
    public record ModelRef(@JsonProperty("name") String name, @JsonProperty("file") String file,
                           @JsonProperty("sha256") String sha256) {

        static ModelRef of(String name, Path file) {
            Path abs = file.toAbsolutePath().normalize();
            return new ModelRef(name, abs.toString(), ModelFiles.checksum(abs));
        }

        Path verified(String what) {
            Path p = Path.of(file);
            if (!Files.isRegularFile(p)) {
                throw new Mi4jException(what + ": model file " + file + " is not visible on " + host()
                        + " (the models must be on a file system every executor reaches)");
            }
            ModelFiles.verify(p, sha256, what);
            return p;
        }
    }

    public TrialEnvironment {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** The environment of a sweep the driver has prepared (every model trained and cached). */
    static TrialEnvironment describe(Path configFile, Path dataPath, ExperimentData data, Path runDir,
                                     Map<String, Path> targetFiles, Path evaluatorFile, Path ganFile) {
        Path config = configFile.toAbsolutePath().normalize();
        // Without a protocol the executor reads exactly the folder the driver verified.
        Path dataRoot = data.faces() == null ? data.data().resolved().root() : dataPath;
        List<ModelRef> targets = new ArrayList<>();
        targetFiles.forEach((name, file) -> targets.add(ModelRef.of(name, file)));
        return new TrialEnvironment(config.toString(), Sha256.of(config),
                dataRoot == null ? null : dataRoot.toAbsolutePath().normalize().toString(),
                data.data().resolved().manifestSha256(), data.faces() == null ? null : data.faces().publicSha256(),
                runDir.toAbsolutePath().normalize().toString(), targets,
                evaluatorFile == null ? null : ModelRef.of("evaluator", evaluatorFile),
                ganFile == null ? null : ModelRef.of("gan", ganFile));
    }

    public Path runDirectory() {
        return Path.of(runDir);
    }

    public String toJson() {
        return Json.toJson(this);
    }

    public static TrialEnvironment fromJson(String json) {
        return Json.fromJson(json, TrialEnvironment.class);
    }

    /**
     * The executor of this environment in this JVM, built on first use (config, data and models
     * read and verified against their checksums) and shared by later calls and threads.
     */
    public TrialExecutor executor() {
        return OPEN.computeIfAbsent(toJson(), k -> open());
    }

    private TrialExecutor open() {
        long start = System.nanoTime();
        Path run = runDirectory();
        if (!Files.isRegularFile(run.resolve(RunLayout.PLAN))) {
            throw new Mi4jException("run directory " + runDir + " is not visible on " + host() + " (no "
                    + RunLayout.PLAN + "): it must be on a file system every executor reaches, at the same path");
        }
        Path config = Path.of(configFile);
        if (!Files.isRegularFile(config)) {
            throw new Mi4jException("config file " + configFile + " is not visible on " + host());
        }
        String sha = Sha256.of(config);
        if (!sha.equals(configSha256)) {
            throw new Mi4jException("config file " + configFile + " changed since the sweep started (SHA-256 " + sha
                    + ", expected " + configSha256 + ")");
        }
        ExperimentConfig cfg = ConfigLoader.load(config);
        ExperimentData data = ExperimentData.load(cfg, dataPath == null ? null : Path.of(dataPath));
        LoadedDataset images = data.data();
        if (!images.resolved().manifestSha256().equals(datasetSha256)) {
            throw new Mi4jException("dataset " + images.images().name() + " at " + images.resolved().root() + " on " + host()
                    + " has fingerprint " + images.resolved().manifestSha256() + ", expected " + datasetSha256
                    + " (the driver's copy)");
        }
        if (publicSha256 != null && (data.faces() == null || !publicSha256.equals(data.faces().publicSha256()))) {
            throw new Mi4jException("the public faces on " + host() + " have fingerprint "
                    + (data.faces() == null ? "none" : data.faces().publicSha256()) + ", expected " + publicSha256);
        }
        Split split = cfg.split().apply(images.images());
        TargetModel evaluatorModel = null;
        if (evaluator != null) {
            evaluatorModel = ModelStore.load(evaluator.verified("evaluator"));
            evaluatorModel.checkFits(images.images().shape(), images.images().numClasses(), images.images().name());
        }
        Map<String, TargetModel> models = new LinkedHashMap<>();
        for (ModelRef t : targets) {
            TargetModel m = ModelStore.load(t.verified("target " + t.name()));
            m.checkFits(images.images().shape(), images.images().numClasses(), images.images().name());
            models.put(t.name(), m);
        }
        Gan prior = gan == null ? null : GanStore.load(gan.verified("gan"));
        int[] labels = TargetSelection.parse(cfg.attack().targets(), images.images().classNames(), "attack.targets");
        ExperimentContext ctx = new ExperimentContext(images, cfg.split(), split, evaluatorModel, null);
        LOG.info("trial environment of {} ready on {} in {} ms ({} target(s){}{})", cfg.name(), host(),
                (System.nanoTime() - start) / 1_000_000, models.size(), evaluatorModel == null ? "" : ", evaluator",
                prior == null ? "" : ", GAN");
        return new AttackTrialExecutor(ctx, models, cfg.attack(), labels, true, data.attackerPrior(ctx), prior);
    }

    private static String host() {
        try {
            return "host " + InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "this host";
        }
    }
}
