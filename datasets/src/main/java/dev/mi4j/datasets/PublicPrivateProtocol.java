package dev.mi4j.datasets;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.Crop;
import dev.mi4j.core.image.ImageDecoder;
import dev.mi4j.core.image.ImageShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public/private protocol of generative model inversion (Zhang et al., CVPR 2020, GMI): the
 * target and the evaluation model are trained on <em>private</em> identities only; the attacker's
 * GAN is trained on <em>public</em> faces of other people only.
 *
 * <p>On mi4j's datasets: the identities of the private dataset (AT&amp;T by default) are cut in two by
 * {@link Splits#identityDisjoint} (seeded; the first half, rounded up, is private). The public
 * faces are the other half of that dataset plus every image of the public datasets
 * ({@code lfw-min70} and {@code yale} by default: different people, photographed elsewhere).
 * Every image, private or public, is read in greyscale, cropped to the dataset's face box
 * ({@link #cropOf}: a centre crop that frames the face alike across datasets) and resized to
 * {@code size} x {@code size}, so that generator, target and evaluator see one frame.
 *
 * <p>Which images are public is fully determined by the {@link Spec} and the datasets' manifests;
 * {@link Faces#publicSha256()} fingerprints the list (and the GAN's provenance records it). The
 * disjointness (no identity, no file and no pixel-identical image in both sets) is checked by
 * {@code PublicPrivateProtocolTest}.
 */
public final class PublicPrivateProtocol {

    private static final Logger log = LoggerFactory.getLogger(PublicPrivateProtocol.class);

    /** The name of the public set in provenance and on the command line. */
    public static final String PUBLIC_NAME = "public-faces";

    /** The private identities of the default protocol, as a dataset name on the command line. */
    public static final String PRIVATE_NAME = "private-faces";

    /**
     * The face box of each registered dataset, as fractions of its native frame.
     * <ul>
     *   <li>att-faces (92x112, head and shoulders filling the frame): the 92x92 square from row 10,
     *       forehead to chin.</li>
     *   <li>lfw-min70 (250x250 deep-funneled, the face about 100 pixels wide in the middle, eyes
     *       near row 105): the centred 130x130 square from row 55, forehead to chin as in AT&amp;T.</li>
     *   <li>yale (320x243, the face a little right of the middle of a wide background, eyes near
     *       row 120, chin near row 215): the 170x170 square from row 55, column 85.</li>
     * </ul>
     */
    public static Crop cropOf(DatasetSpec spec) {
        return switch (spec.name()) {
            case "att-faces" -> new Crop(10.0 / 112, 0, 92.0 / 112, 1);
            case "lfw-min70" -> new Crop(55.0 / 250, 60.0 / 250, 130.0 / 250, 130.0 / 250);
            case "yale" -> new Crop(55.0 / 243, 85.0 / 320, 170.0 / 243, 170.0 / 320);
            default -> throw new Mi4jException("dataset " + spec.name() + ": no face crop is defined for the public/private"
                    + " protocol (known: att-faces, lfw-min70, yale)");
        };
    }

    /**
     * Which images go where.
     *
     * @param privateDataset the dataset whose identities are split (private half: targets; the other half: public)
     * @param seed           seeds the identity split
     * @param publicDatasets datasets whose every image is public (never the private dataset)
     * @param size           side of the common square frame, >= 8
     */
    public record Spec(String privateDataset, long seed, List<String> publicDatasets, int size) {

        /** AT&amp;T split in two (seed 42), LFW-min70 and Yale public, 32x32. */
        public static final Spec DEFAULT = new Spec("att-faces", 42L, List.of("lfw-min70", "yale"), 32);

        public Spec {
            if (privateDataset == null || privateDataset.isBlank()) {
                throw new Mi4jException("protocol.private: name the dataset whose identities are split (e.g. att-faces)");
            }
            DatasetRegistry.get(privateDataset);
            publicDatasets = publicDatasets == null ? List.of() : List.copyOf(publicDatasets);
            if (new LinkedHashSet<>(publicDatasets).size() != publicDatasets.size()) {
                throw new Mi4jException("protocol.public: lists a dataset twice: " + publicDatasets);
            }
            for (String p : publicDatasets) {
                DatasetRegistry.get(p);
                if (p.equals(privateDataset)) {
                    throw new Mi4jException("protocol.public: " + p + " is the private dataset; only its other identities"
                            + " are public (they are added anyway)");
                }
            }
            if (size < 8) {
                throw new Mi4jException("protocol.size: must be >= 8, got " + size);
            }
        }

        /** The private set's name: which dataset, seed and frame (model caches tell protocols apart by it). */
        public String privateName() {
            return privateDataset + "-private-s" + seed + "-" + size + "px";
        }

        /** One line, e.g. "att-faces split seed 42 + lfw-min70, yale public, 32x32 grey". */
        public String describe() {
            return privateDataset + " split seed " + seed + (publicDatasets.isEmpty() ? "" : " + " + String.join(", ",
                    publicDatasets) + " public") + ", " + size + "x" + size + " grey";
        }
    }

    /**
     * The two sets.
     *
     * @param privateSet      the private identities (labels 0..k-1, names as in the dataset)
     * @param publicSet       the public faces (labels per person; names and sources prefixed "dataset/")
     * @param privateResolved where the private dataset came from (manifest for model caches)
     * @param publicSha256    SHA-256 over the public datasets' manifests and the public sources in order
     * @param description     which images are where, in words
     */
    public record Faces(Spec spec, LabeledImages privateSet, LabeledImages publicSet, ResolvedDataset privateResolved,
                        String publicSha256, String description) {

        /** The private set as a loaded dataset, for the experiment pipeline (targets, evaluator, metrics). */
        public LoadedDataset privateDataset() {
            return new LoadedDataset(privateSet, privateResolved);
        }
    }

    private PublicPrivateProtocol() {
    }

    /**
     * Reads, crops and splits the datasets.
     *
     * @param explicitPaths optional folders by dataset name (as {@code --data-path} gives)
     */
    public static Faces build(Spec spec, DatasetResolver resolver, Map<String, Path> explicitPaths) {
        DatasetSpec privSpec = DatasetRegistry.get(spec.privateDataset());
        ResolvedDataset privResolved = resolver.resolve(privSpec, Optional.ofNullable(explicitPaths.get(privSpec.name())));
        LabeledImages all = readCropped(privSpec, privResolved, spec.size());
        IdentitySplit split = Splits.identityDisjoint(all, spec.seed());
        LabeledImages priv = split.privateSet();
        priv = new LabeledImages(spec.privateName(), priv.images(), priv.labels(), priv.classNames(), priv.sources(),
                priv.shape());

        List<LabeledImages> publicParts = new ArrayList<>();
        publicParts.add(split.publicSet());
        List<String> manifests = new ArrayList<>();
        manifests.add(privSpec.name() + ":" + privResolved.manifestSha256());
        List<String> parts = new ArrayList<>();
        parts.add(split.publicSet().numClasses() + " " + privSpec.name() + " identities (" + split.publicSet().size()
                + " images)");
        for (String name : spec.publicDatasets()) {
            DatasetSpec ds = DatasetRegistry.get(name);
            ResolvedDataset r = resolver.resolve(ds, Optional.ofNullable(explicitPaths.get(name)));
            LabeledImages imgs = readCropped(ds, r, spec.size());
            publicParts.add(imgs);
            manifests.add(name + ":" + r.manifestSha256());
            parts.add(name + " (" + imgs.numClasses() + " people, " + imgs.size() + " images)");
        }
        List<String> prefixes = new ArrayList<>();
        prefixes.add(privSpec.name());
        prefixes.addAll(spec.publicDatasets());
        LabeledImages pub = concat(PUBLIC_NAME, publicParts, prefixes);
        String crops = prefixes.stream().map(n -> n + " " + cropOf(DatasetRegistry.get(n))).collect(Collectors.joining("; "));
        String description = String.format(Locale.ROOT, "private: %d of %d %s identities (identity split seed %d: %s), "
                        + "%d images; public: %s = %d images of %d people; all greyscale, cropped (%s) and resized to %dx%d",
                priv.numClasses(), all.numClasses(), privSpec.name(), spec.seed(), String.join(" ", priv.classNames()),
                priv.size(), String.join(" + ", parts), pub.size(), pub.numClasses(), crops, spec.size(), spec.size());
        String sha = sha256(String.join("\n", manifests) + "\n" + spec.size() + "\n" + crops + "\n"
                + String.join("\n", pub.sources()));
        log.info("public/private protocol: {}", description);
        return new Faces(spec, priv, pub, privResolved, sha, description);
    }

    /** Every image of a dataset in greyscale, cropped to its face box and resized to size x size, in the reader's order. */
    static LabeledImages readCropped(DatasetSpec spec, ResolvedDataset resolved, int size) {
        Crop crop = cropOf(spec);
        List<ImageFolderReader.Entry> entries = new ImageFolderReader(spec.filePattern()).list(resolved.root());
        if (entries.size() != spec.expectedImages()) {
            throw new Mi4jException(resolved.root() + ": found " + entries.size() + " images, expected "
                    + spec.expectedImages() + " for " + spec.name());
        }
        ImageShape shape = new ImageShape(1, size, size);
        INDArray images = Nd4j.create(DataType.FLOAT, shape.batchShape(entries.size()));
        Map<String, Integer> labelOf = new LinkedHashMap<>();
        int[] labels = new int[entries.size()];
        List<String> sources = new ArrayList<>();
        long[] one = {1, size, size};
        for (int i = 0; i < entries.size(); i++) {
            ImageFolderReader.Entry e = entries.get(i);
            ImageDecoder.Pixels px = crop.apply(ImageDecoder.decode(resolved.root().resolve(e.relativePath()), true, 0, 0),
                    size, size);
            images.get(NDArrayIndex.point(i)).assign(Nd4j.create(px.data(), one, DataType.FLOAT));
            labels[i] = labelOf.computeIfAbsent(e.identity(), k -> labelOf.size());
            sources.add(e.relativePath());
        }
        return new LabeledImages(spec.name(), images, labels, new ArrayList<>(labelOf.keySet()), sources, shape);
    }

    /** The sets one after the other; each person's name and each source prefixed with its dataset. */
    private static LabeledImages concat(String name, List<LabeledImages> parts, List<String> prefixes) {
        List<INDArray> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            LabeledImages part = parts.get(p);
            String prefix = prefixes.get(p) + "/";
            int offset = names.size();
            part.classNames().forEach(c -> names.add(prefix + c));
            for (int l : part.labels()) {
                labels.add(offset + l);
            }
            part.sources().forEach(s -> sources.add(prefix + s));
            images.add(part.images());
        }
        INDArray all = Nd4j.concat(0, images.toArray(new INDArray[0]));
        return new LabeledImages(name, all, labels.stream().mapToInt(Integer::intValue).toArray(), names, sources,
                parts.get(0).shape());
    }

    private static String sha256(String s) {
        return dev.mi4j.core.io.Sha256.of(s);
    }
}
