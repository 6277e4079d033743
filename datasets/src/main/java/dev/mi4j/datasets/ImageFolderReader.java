package dev.mi4j.datasets;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageDecoder;
import dev.mi4j.core.image.ImageShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a folder of face images into {@link LabeledImages}. Which files are images and whose
 * face each one is comes from one regular expression over the path relative to the folder
 * (group 1 = identity), so the same reader handles one sub-folder per identity
 * ({@code (s[0-9]+)/[0-9]+\.pgm}) and identities encoded in file names
 * ({@code (subject[0-9]+)\.[a-z]+}). Identities are labelled 0..k-1 in natural order (s1, s2,
 * ..., s10) and files within an identity are in natural order too, so labels and image order
 * never depend on the file system's listing order.
 */
public final class ImageFolderReader {

    private static final Logger log = LoggerFactory.getLogger(ImageFolderReader.class);
    private static final int MAX_DEPTH = 8;

    /** One image file and its identity. */
    public record Entry(String relativePath, String identity) {
    }

    private final Pattern fileToIdentity;

    /** @param fileToIdentity matched against whole relative paths; group 1 is the identity */
    public ImageFolderReader(Pattern fileToIdentity) {
        this.fileToIdentity = Objects.requireNonNull(fileToIdentity, "fileToIdentity");
        if (fileToIdentity.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("fileToIdentity needs a capturing group for the identity: " + fileToIdentity);
        }
    }

    /** One sub-folder per identity, files with one of these extensions (case-insensitive) inside. */
    public static ImageFolderReader folderPerIdentity(String... extensions) {
        String ext = String.join("|", Stream.of(extensions).map(Pattern::quote).toList());
        return new ImageFolderReader(Pattern.compile("([^/]+)/[^/]+\\.(?i:" + ext + ")"));
    }

    /** The image files under {@code root}, grouped by identity in natural order. */
    public List<Entry> list(Path root) {
        if (!Files.isDirectory(root)) {
            throw new Mi4jException(root + ": image folder does not exist");
        }
        Map<String, List<String>> byIdentity = new TreeMap<>(NaturalOrder.INSTANCE);
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                String rel = root.relativize(p).toString().replace('\\', '/');
                Matcher m = fileToIdentity.matcher(rel);
                if (m.matches()) {
                    byIdentity.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(rel);
                }
            });
        } catch (IOException e) {
            throw new Mi4jException(root + ": cannot list image folder: " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        byIdentity.forEach((id, files) -> {
            files.sort(NaturalOrder.INSTANCE);
            files.forEach(f -> entries.add(new Entry(f, id)));
        });
        return entries;
    }

    /**
     * Reads every image under {@code root}.
     *
     * @param height output height, or <= 0 (with width <= 0) to keep the files' size, which must
     *               then be the same for all of them
     */
    public LabeledImages read(Path root, String name, boolean grayscale, int height, int width) {
        List<Entry> entries = list(root);
        if (entries.isEmpty()) {
            throw new Mi4jException(root + ": no image files match " + fileToIdentity.pattern());
        }
        Map<String, Integer> labelOf = new LinkedHashMap<>();
        for (Entry e : entries) {
            labelOf.putIfAbsent(e.identity(), labelOf.size());
        }
        Path first = root.resolve(entries.get(0).relativePath());
        ImageShape shape = height > 0
                ? new ImageShape(grayscale ? 1 : 3, height, width)
                : ImageDecoder.probe(first, grayscale);
        long t0 = System.nanoTime();
        INDArray all = Nd4j.create(DataType.FLOAT, shape.batchShape(entries.size()));
        int[] labels = new int[entries.size()];
        List<String> sources = new ArrayList<>(entries.size());
        long[] one = {shape.channels(), shape.height(), shape.width()};
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Path file = root.resolve(e.relativePath());
            ImageDecoder.Pixels px = ImageDecoder.decode(file, grayscale, height, width);
            if (!px.shape().equals(shape)) {
                throw new Mi4jException(file + ": image is " + px.shape() + " but " + first + " is " + shape
                        + "; give a resize height and width to load images of different sizes");
            }
            all.get(NDArrayIndex.point(i)).assign(Nd4j.create(px.data(), one, DataType.FLOAT));
            labels[i] = labelOf.get(e.identity());
            sources.add(e.relativePath());
        }
        log.info("read {} images of {} identities from {} as {} in {} ms", entries.size(), labelOf.size(), root,
                shape, (System.nanoTime() - t0) / 1_000_000);
        return new LabeledImages(name, all, labels, new ArrayList<>(labelOf.keySet()), sources, shape);
    }

    /** Natural order of identities, exposed for callers that sort names the same way. */
    public static Comparator<String> naturalOrder() {
        return NaturalOrder.INSTANCE;
    }
}
