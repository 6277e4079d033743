package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.BuildInfo;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageGrid;
import dev.mi4j.core.io.Sha256;
import dev.mi4j.core.model.DcGan;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.GanStore;
import dev.mi4j.core.train.GanConfig;
import dev.mi4j.core.train.GanTrainer;
import dev.mi4j.datasets.PublicPrivateProtocol;
import dev.mi4j.experiments.config.GanSectionConfig;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a GMI experiment its attacker's GAN: loads a saved one, or trains one on the protocol's
 * public faces and caches it under a key of everything that determines it (the public images'
 * fingerprint, the training configuration, mi4j's version), as {@link TargetProvider} caches targets.
 * Writes the sample grid ({@code gan-samples.png}, 64 fixed latent codes) into the run's folder,
 * and while training one per {@code sampleEvery} epochs ({@code gan-samples-epoch-NNN.png}).
 */
public final class GanProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GanProvider.class);

    /** The sample grid of a run's GAN. */
    public static final String SAMPLES_PNG = "gan-samples.png";

    private final Path cacheDir;
    private final boolean quiet;

    public GanProvider(Path cacheDir, boolean quiet) {
        this.cacheDir = cacheDir;
        this.quiet = quiet;
    }

    /** The cache file of a GAN trained with {@code cfg} on these public faces. */
    public Path cachePath(PublicPrivateProtocol.Faces faces, GanConfig cfg) {
        return cachePath(PublicPrivateProtocol.PUBLIC_NAME, faces.spec().size(), faces.publicSha256(),
                faces.publicSet().shape(), cfg);
    }

    private Path cachePath(String name, long size, String sha256, dev.mi4j.core.image.ImageShape shape, GanConfig cfg) {
        return cacheDir.resolve(name + "-gan-" + size + "px-"
                + key(sha256, cfg, DcGan.describe(shape, cfg.latentDim(), cfg.width())) + ".zip");
    }

    /**
     * The GAN: from the cache, else trained (and cached).
     *
     * @param samplesDir where the sample grids go (created); null for none
     */
    public Gan obtain(PublicPrivateProtocol.Faces faces, GanConfig cfg, Path samplesDir) {
        return obtain(PublicPrivateProtocol.PUBLIC_NAME, faces.publicSet().images(), faces.publicSha256(), faces.description(),
                cfg, samplesDir);
    }

    /**
     * The GAN of any set of public faces: from the cache, else trained (and cached).
     *
     * @param name        the public set's name (cache file names, provenance)
     * @param images      the public faces [n, c, h, w], square with a power-of-two side
     * @param sha256      their fingerprint (the cache key holds it)
     * @param description which images they are, in words (provenance)
     * @param samplesDir  where the sample grids go (created); null for none
     */
    public Gan obtain(String name, org.nd4j.linalg.api.ndarray.INDArray images, String sha256, String description,
                      GanConfig cfg, Path samplesDir) {
        dev.mi4j.core.image.ImageShape shape = new dev.mi4j.core.image.ImageShape((int) images.size(1), (int) images.size(2),
                (int) images.size(3));
        Path zip = cachePath(name, shape.height(), sha256, shape, cfg);
        Gan gan;
        if (GanStore.exists(zip)) {
            LOG.info("gan: reusing cached GAN {}", zip);
            gan = GanStore.load(zip);
        } else {
            GanTrainer.DataDescription data = new GanTrainer.DataDescription(name, sha256, description);
            gan = GanTrainer.train(images, cfg, data, samplesDir == null ? null : (epoch, samples) ->
                    ImageGrid.write(samples, 8, 2, samplesDir.resolve(String.format(Locale.ROOT, "gan-samples-epoch-%03d.png",
                            epoch))), quiet);
            OutputFolder.cleanPartials(cacheDir, 1, java.time.Duration.ofHours(1));
            GanStore.save(gan, zip);
            LOG.info("gan: saved to {}", zip);
        }
        if (samplesDir != null) {
            ImageGrid.write(gan.generate(GanTrainer.sampleCodes(cfg, gan.dataType())), 8, 2, samplesDir.resolve(SAMPLES_PNG));
        }
        return gan;
    }

    /** --quick: the GAN: one epoch, at most this width, on every {@link #QUICK_PUBLIC_STRIDE}th public image. */
    public static final int QUICK_GAN_WIDTH = 4;
    static final int QUICK_PUBLIC_STRIDE = 4;

    /**
     * A config's GAN prior: the saved one its {@code gan.model} names, else one trained (or taken
     * from the cache) on the protocol's public faces with its {@code gan:} settings.
     *
     * @param section    the config's {@code gan:} section, or null for the defaults
     * @param faces      the protocol's sets (null without a protocol: then {@code gan.model} must be set)
     * @param quick      a smoke run: one epoch, width {@link #QUICK_GAN_WIDTH}, every {@link #QUICK_PUBLIC_STRIDE}th public image
     * @param samplesDir where the sample grids go; null for none
     */
    public Gan forConfig(GanSectionConfig section, PublicPrivateProtocol.Faces faces, boolean quick, Path samplesDir) {
        if (section != null && section.model() != null) {
            return GanStore.load(Path.of(section.model()));
        }
        Plan plan = plan(section, faces, quick);
        return obtain(plan.faces(), plan.config(), samplesDir);
    }

    /** The file {@link #forConfig} loads, or saves once it has trained the GAN (same arguments). */
    public Path fileFor(GanSectionConfig section, PublicPrivateProtocol.Faces faces, boolean quick) {
        if (section != null && section.model() != null) {
            return Path.of(section.model());
        }
        Plan plan = plan(section, faces, quick);
        return cachePath(plan.faces(), plan.config());
    }

    /** The faces a config's GAN trains on and its training settings. */
    private record Plan(PublicPrivateProtocol.Faces faces, GanConfig config) {
    }

    private static Plan plan(GanSectionConfig section, PublicPrivateProtocol.Faces faces, boolean quick) {
        if (faces == null) {
            throw new Mi4jException("gan: training the GAN needs the protocol: section's public faces");
        }
        GanConfig gc = (section != null ? section : GanSectionConfig.defaults()).config();
        PublicPrivateProtocol.Faces f = faces;
        if (quick) {
            gc = gc.withEpochs(1).withWidth(Math.min(gc.width(), QUICK_GAN_WIDTH)).withSampleEvery(0);
            LabeledImages pub = faces.publicSet();
            int[] idx = java.util.stream.IntStream.range(0, pub.size()).filter(i -> i % QUICK_PUBLIC_STRIDE == 0).toArray();
            f = new PublicPrivateProtocol.Faces(faces.spec(), faces.privateSet(), pub.subset(idx, pub.name()),
                    faces.privateResolved(), faces.publicSha256() + "-every-" + QUICK_PUBLIC_STRIDE, faces.description()
                    + " (--quick: every " + QUICK_PUBLIC_STRIDE + "th public image)");
        }
        return new Plan(f, gc);
    }

    /** A GAN file given by path (a config's {@code gan.model}). */
    public static Gan load(Path zip) {
        return GanStore.load(zip);
    }

    static String key(String publicSha256, GanConfig cfg, String architecture) {
        String canonical = String.join("|", publicSha256, cfg.asMap().toString(), architecture, BuildInfo.version());
        return Sha256.of(canonical).substring(0, 12);
    }
}
