package dev.mi4j.datasets;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A user's own face folder as a dataset: one sub-folder per identity, image files inside (PGM, PNG,
 * JPEG, GIF, BMP), read by the same {@link ImageFolderReader} as the registered datasets. Identities
 * are labelled 0..k-1 in natural order of their folder names (s1, s2, ..., s10), which is the order
 * a model's outputs are taken to follow. There is no published manifest: the folder's fingerprint
 * (SHA-256 over every file's relative path and SHA-256, in order) stands in for one, so models
 * trained on it (the evaluation model) are cached by content, and it is recorded in provenance.
 */
public final class ImageFolderDataset {

    /** Files read from a user's folder. */
    public static final List<String> EXTENSIONS = List.of("pgm", "png", "jpg", "jpeg", "gif", "bmp");
    /** The split of a user's folder: 70% of each identity's images for training, seed 42. */
    public static final SplitRule DEFAULT_SPLIT = SplitRule.fraction(0.7, DatasetRegistry.DEFAULT_SPLIT_SEED);

    private ImageFolderDataset() {
    }

    /**
     * Reads {@code dir} at the files' own size (all images must have one size).
     *
     * @param grayscale one channel (luma) if true, RGB if false
     * @throws Mi4jException naming the folder when it is missing, holds no identity sub-folder with
     *                       images, or its images differ in size
     */
    public static LoadedDataset load(Path dir, boolean grayscale) {
        return load(dir, grayscale, 0, 0);
    }

    /**
     * Reads {@code dir}, every image resized to {@code height} x {@code width} (both &lt;= 0: the
     * files' own size, which must then be one for all).
     */
    public static LoadedDataset load(Path dir, boolean grayscale, int height, int width) {
        if (!Files.isDirectory(dir)) {
            throw new Mi4jException(dir + ": no such dataset folder (expected one sub-folder of images per identity)");
        }
        Path root = dir.toAbsolutePath().normalize();
        ImageFolderReader reader = ImageFolderReader.folderPerIdentity(EXTENSIONS.toArray(String[]::new));
        List<ImageFolderReader.Entry> entries = reader.list(root);
        if (entries.isEmpty()) {
            throw new Mi4jException(dir + ": no images found (expected one sub-folder per identity holding "
                    + String.join("/", EXTENSIONS) + " files)");
        }
        String name = "dir-" + (root.getFileName() == null ? "root" : root.getFileName().toString())
                .replaceAll("[^A-Za-z0-9._-]+", "_");
        LabeledImages images = reader.read(root, name, grayscale, height, width);
        if (images.numClasses() < 2) {
            throw new Mi4jException(dir + ": holds images of " + images.numClasses()
                    + " identity; a face dataset needs at least 2 identity sub-folders");
        }
        StringBuilder listing = new StringBuilder();
        for (ImageFolderReader.Entry e : entries) {
            listing.append(e.relativePath()).append(' ').append(Manifest.sha256(root.resolve(e.relativePath()))).append('\n');
        }
        String fingerprint = Manifest.sha256(listing.toString().getBytes(StandardCharsets.UTF_8));
        DatasetSpec spec = new DatasetSpec(name, root.getFileName() == null ? name : root.getFileName().toString(),
                "image folder " + root + ": " + images.numClasses() + " identities, " + images.size() + " images",
                images.numClasses(), images.size(), images.shape(), images.shape(), DEFAULT_SPLIT,
                Pattern.compile("([^/]+)/[^/]+\\.(?i:" + String.join("|", EXTENSIONS) + ")"), "", List.of(),
                "the user's own images");
        return new LoadedDataset(images, new ResolvedDataset(spec, root, "explicit", fingerprint));
    }
}
