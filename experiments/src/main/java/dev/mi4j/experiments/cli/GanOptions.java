package dev.mi4j.experiments.cli;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.GanStore;
import dev.mi4j.core.train.GanConfig;
import dev.mi4j.datasets.DatasetResolver;
import dev.mi4j.datasets.PublicPrivateProtocol;
import dev.mi4j.experiments.pipeline.GanProvider;
import dev.mi4j.experiments.pipeline.OutputFolder;
import dev.mi4j.experiments.pipeline.TargetProvider;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code mi4j train --model gan}: the attacker's GAN prior of GMI, trained on the public faces of
 * the public/private protocol ({@code --dataset public-faces}) and saved with its provenance and
 * sample grid. Options of its own; the rest (--epochs, --seed, --out, --cache, --data-path) are
 * the train command's.
 */
public final class GanOptions {

    /** The --model value that trains the GAN. */
    static final String MODEL = "gan";

    @Option(names = "--gan-width", paramLabel = "W",
            description = "GAN: channels of the discriminator's first layer (networks have W, 2W, 4W, 8W). Default: "
                    + "the gmi2020 study's (see GanConfig.DEFAULTS).")
    Integer width;

    @Option(names = "--image-size", paramLabel = "PX",
            description = "GAN: side of the square greyscale faces (power of two >= 16). Default: 32.")
    Integer size;

    @Option(names = "--public", split = ",", paramLabel = "DATASET",
            description = "GAN: datasets whose every image is public, besides the public half of att-faces. Default: lfw-min70,yale.")
    List<String> publicDatasets;

    static boolean isGan(String model) {
        return model != null && model.trim().toLowerCase(Locale.ROOT).equals(MODEL);
    }

    /** Trains (or reuses the cached) GAN and copies it to {@code out}; prints what it did. */
    int run(CommonOptions common, DatasetOptions data, Long seed, Integer epochs, Path out, Path cache, boolean json) {
        if (!data.name().equals(PublicPrivateProtocol.PUBLIC_NAME) && !data.name().equals("att-faces")) {
            throw new Mi4jException("--model gan trains on the public faces of the public/private protocol: use --dataset "
                    + PublicPrivateProtocol.PUBLIC_NAME + " (got " + data.name() + ")");
        }
        PublicPrivateProtocol.Spec d = PublicPrivateProtocol.Spec.DEFAULT;
        PublicPrivateProtocol.Spec spec = new PublicPrivateProtocol.Spec(d.privateDataset(), d.seed(),
                publicDatasets == null ? d.publicDatasets() : publicDatasets, size == null ? d.size() : size);
        GanConfig cfg = GanConfig.DEFAULTS;
        if (epochs != null) {
            cfg = cfg.withEpochs(epochs);
        }
        if (seed != null) {
            cfg = cfg.withSeed(seed);
        }
        if (width != null) {
            cfg = cfg.withWidth(width);
        }
        Map<String, Path> paths = new HashMap<>();
        if (data.dataPath != null) {
            for (String n : spec.publicDatasets()) {
                paths.put(n, data.dataPath);
            }
            paths.put(spec.privateDataset(), data.dataPath);
        }
        PublicPrivateProtocol.Faces faces = PublicPrivateProtocol.build(spec, DatasetResolver.fromEnvironment(), paths);
        OutputFolder.cleanPartials(out, 1);
        Gan gan = new GanProvider(cache != null ? cache : TargetProvider.defaultCacheDir(), common.quiet()).obtain(faces, cfg, out);
        Path zip = out.resolve(PublicPrivateProtocol.PUBLIC_NAME + "-gan.zip");
        GanStore.save(gan, zip);
        if (json) {
            System.out.println(gan.provenance().toJson());
        } else {
            var h = gan.provenance().history();
            var last = h.isEmpty() ? Map.<String, Object>of() : h.get(h.size() - 1);
            System.out.printf(Locale.ROOT, "gan on %s (%d images: %s): %d epochs, %.1f s; last epoch D loss %s, G loss %s,"
                            + " D(real) %s, D(fake) %s%nsaved %s (+ %s), samples %s%n",
                    PublicPrivateProtocol.PUBLIC_NAME, gan.provenance().images(), spec.describe(), gan.provenance().epochs(),
                    gan.provenance().trainingMillis() / 1000.0, fmt(last.get("dLoss")), fmt(last.get("gLoss")),
                    fmt(last.get("dReal")), fmt(last.get("dFake")), zip, GanStore.discriminatorPath(zip).getFileName(),
                    out.resolve(GanProvider.SAMPLES_PNG));
        }
        return 0;
    }

    private static String fmt(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "-";
    }
}
