package dev.mi4j.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.image.Images;
import dev.mi4j.core.io.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files one inversion run (a sweep trial, a study's model or variant) leaves in its folder, as
 * written by {@code pipeline.InversionRun}, and their reading for galleries, the report and
 * {@code mi4j figure}: {@code metrics.json} (with one entry per attacked identity under
 * {@code targets}) and per identity {@code <identity>/reconstruction.png},
 * {@code reconstruction-stretched.png}, {@code training.png}, {@code mean.png}. Folders written
 * before the last three existed still read: their missing images are null, and
 * {@link #ensureStretched} makes the stretched image from the raw one.
 */
public final class InversionFiles {

    public static final String METRICS_JSON = "metrics.json";
    public static final String RECONSTRUCTION_PNG = "reconstruction.png";
    /** The reconstruction linearly rescaled to the full grey range ({@link Images#contrastStretch}). */
    public static final String STRETCHED_PNG = "reconstruction-stretched.png";
    /** The identity's first private training image. */
    public static final String TRAINING_PNG = "training.png";
    /** The pixel-wise mean of the identity's private training images. */
    public static final String MEAN_PNG = "mean.png";

    private static final Logger LOG = LoggerFactory.getLogger(InversionFiles.class);

    private InversionFiles() {
    }

    /**
     * One attacked identity of a run. Image fields are paths relative to the run folder's root
     * (the folder given to {@link #identities}), "/"-separated, or null when the file is absent;
     * numbers are null when unknown.
     *
     * @param p           best p_label the attacker reached
     * @param top1        the evaluation model's top-1 identity for the reconstruction
     * @param top1Correct whether that is the attacked identity
     * @param ssim        SSIM to the nearest private training image of the identity
     */
    public record Identity(String name, String reconstruction, String stretched, String training, String mean,
                           Double p, Integer iterations, String top1, Boolean top1Correct, Double ssim) {
    }

    /** Whether {@code dir} holds an inversion run's metrics.json (with per-identity targets). */
    public static boolean isRunFolder(Path dir) {
        Path m = dir.resolve(METRICS_JSON);
        if (!Files.isRegularFile(m)) {
            return false;
        }
        JsonNode doc = readJson(m);
        return doc != null && doc.path("targets").isArray() && doc.has("aggregate");
    }

    /** The run's metrics.json, or null when missing or unreadable (logged). */
    static JsonNode readJson(Path metricsJson) {
        if (!Files.isRegularFile(metricsJson)) {
            return null;
        }
        try {
            return Json.mapper().readTree(metricsJson.toFile());
        } catch (IOException e) {
            LOG.warn("{} is unreadable ({}); its per-identity figures are not shown", metricsJson, e.getMessage());
            return null;
        }
    }

    /**
     * The identities of the run in {@code root.resolve(folder)}: from its metrics.json in attack
     * order, or (without one) every sub-folder holding a reconstruction.png, in natural order.
     */
    public static List<Identity> identities(Path root, String folder) {
        Path dir = folder.isEmpty() ? root : root.resolve(folder);
        JsonNode doc = readJson(dir.resolve(METRICS_JSON));
        List<Identity> out = new ArrayList<>();
        if (doc != null && doc.path("targets").isArray()) {
            List<String> classNames = new ArrayList<>();
            doc.path("targetProvenance").path("classNames").forEach(n -> classNames.add(n.asText()));
            for (JsonNode t : doc.path("targets")) {
                String name = t.path("identity").asText();
                JsonNode m = t.path("metrics");
                String top1 = t.hasNonNull("evalTop1Identity") ? t.get("evalTop1Identity").asText() : null;
                if (top1 == null && m.hasNonNull("evalTop1Label")) {
                    int l = m.get("evalTop1Label").asInt();
                    top1 = l >= 0 && l < classNames.size() ? classNames.get(l) : "#" + l;
                }
                out.add(identity(root, folder, dir, name, number(t.get("bestPLabel")),
                        t.hasNonNull("iterations") ? t.get("iterations").asInt() : null, top1,
                        top1 == null ? null : m.path("evalTop1Correct").asBoolean(), number(m.get("ssimNearest"))));
            }
            return out;
        }
        for (String name : reconstructionDirs(dir)) {
            out.add(identity(root, folder, dir, name, null, null, null, null, null));
        }
        return out;
    }

    private static Identity identity(Path root, String folder, Path dir, String name, Double p, Integer it, String top1,
                                     Boolean correct, Double ssim) {
        Path id = dir.resolve(name);
        return new Identity(name, rel(folder, name, id, RECONSTRUCTION_PNG), rel(folder, name, id, STRETCHED_PNG),
                rel(folder, name, id, TRAINING_PNG), rel(folder, name, id, MEAN_PNG), p, it, top1, correct, ssim);
    }

    private static String rel(String folder, String identity, Path idDir, String file) {
        if (!Files.isRegularFile(idDir.resolve(file))) {
            return null;
        }
        return (folder.isEmpty() ? "" : folder + "/") + identity + "/" + file;
    }

    /**
     * Writes {@code reconstruction-stretched.png} beside every reconstruction.png below
     * {@code dir}'s identity folders that lacks one (runs written before it existed); returns how
     * many were made.
     */
    public static int ensureStretched(Path dir) {
        int made = 0;
        for (String name : reconstructionDirs(dir)) {
            Path raw = dir.resolve(name).resolve(RECONSTRUCTION_PNG);
            Path stretched = raw.resolveSibling(STRETCHED_PNG);
            if (Files.isRegularFile(stretched)) {
                continue;
            }
            try {
                BufferedImage img = ImageIO.read(raw.toFile());
                if (img == null) {
                    LOG.warn("{} is not an image ImageIO can read; no stretched copy", raw);
                    continue;
                }
                Images.writePng(Images.contrastStretch(Images.fromImage(img, img.getRaster().getNumBands() == 1)), stretched);
                made++;
            } catch (IOException e) {
                LOG.warn("{} is unreadable ({}); no stretched copy", raw, e.getMessage());
            }
        }
        return made;
    }

    /** Sub-folders of {@code dir} holding a reconstruction.png, in natural order ("s2" before "s10"). */
    static List<String> reconstructionDirs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(RECONSTRUCTION_PNG)))
                    .map(p -> p.getFileName().toString()).sorted(HtmlReport::naturalOrder).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a study's metrics.json says about the run as a whole: the target, how it was attacked,
     * the attack and its parameters (scalars; others as JSON text), for the report's parameter columns.
     */
    static LinkedHashMap<String, Object> describe(JsonNode doc) {
        LinkedHashMap<String, Object> p = new LinkedHashMap<>();
        p.put("target", doc.path("target").asText(""));
        p.put("attacker", doc.path("attacker").asText(""));
        p.put("attack", doc.path("attack").asText(""));
        for (Map.Entry<String, JsonNode> e : fields(doc.path("params"))) {
            JsonNode v = e.getValue();
            p.put(e.getKey(), v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue()
                    : v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString());
        }
        return p;
    }

    /** The run's summary figures: the aggregate metrics and the run-level counts, by name. */
    static LinkedHashMap<String, Object> summaryMetrics(JsonNode doc) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        double p = 0;
        double it = 0;
        int n = 0;
        for (JsonNode t : doc.path("targets")) {
            p += t.path("bestPLabel").asDouble(Double.NaN);
            it += t.path("iterations").asDouble(Double.NaN);
            n++;
        }
        m.put("mean_best_p", n == 0 ? null : p / n);
        m.put("mean_iterations", n == 0 ? null : it / n);
        for (Map.Entry<String, JsonNode> e : fields(doc.path("aggregate"))) {
            if (!e.getKey().equals("count")) {
                m.put(e.getKey(), number(e.getValue()));
            }
        }
        m.put("meanTruePLabel", number(doc.get("meanTruePLabel")));
        m.put("modelQueries", number(doc.get("modelQueries")));
        m.put("diverged", number(doc.get("diverged")));
        return m;
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode obj) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        obj.fields().forEachRemaining(out::add);
        return out;
    }

    private static Double number(JsonNode v) {
        return v == null || !v.isNumber() ? null : v.asDouble();
    }
}
