package dev.mi4j.datasets;

import dev.mi4j.core.image.ImageShape;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything mi4j knows about one named dataset.
 *
 * @param name               short name used in configs and on the command line, e.g. "att-faces"
 * @param folderName         name of the dataset's folder inside a data directory, e.g. "att_faces"
 * @param description        one line for humans
 * @param expectedIdentities number of identities (classes)
 * @param expectedImages     number of images
 * @param nativeShape        shape of the images as stored (channels in the file's colour mode)
 * @param defaultShape       shape the images are loaded as when nothing else is asked: the colour
 *                           mode (1 channel grey, 3 RGB) and the size they are resized to (equal
 *                           to {@code nativeShape} where no resizing is wanted)
 * @param defaultSplit       the train/test split used when none is given
 * @param filePattern        regular expression matched against each file's path relative to the
 *                           dataset folder ('/' separators); a match is an image and group 1 is its
 *                           identity. This is what lets one reader handle folder-per-identity
 *                           layouts (AT&T, LFW) and name-encoded ones (Yale's subject01.happy)
 * @param manifestResource   classpath resource with the sha256 of every image, relative paths
 * @param sources            where to download it from, tried in order; may be empty
 * @param terms              licence / terms of use / citation note
 */
public record DatasetSpec(String name, String folderName, String description, int expectedIdentities,
                          int expectedImages, ImageShape nativeShape, ImageShape defaultShape, SplitRule defaultSplit,
                          Pattern filePattern, String manifestResource, List<DownloadSource> sources,
                          String terms) {

    public DatasetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folderName, "folderName");
        Objects.requireNonNull(nativeShape, "nativeShape");
        Objects.requireNonNull(defaultShape, "defaultShape");
        Objects.requireNonNull(defaultSplit, "defaultSplit");
        if (defaultShape.channels() != 1 && defaultShape.channels() != 3) {
            throw new IllegalArgumentException("defaultShape must have 1 (grey) or 3 (RGB) channels, got " + defaultShape);
        }
        Objects.requireNonNull(filePattern, "filePattern");
        Objects.requireNonNull(manifestResource, "manifestResource");
        if (filePattern.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("filePattern needs a capturing group for the identity: " + filePattern);
        }
        if (expectedIdentities <= 0 || expectedImages <= 0) {
            throw new IllegalArgumentException("expectedIdentities and expectedImages must be positive");
        }
        sources = List.copyOf(sources);
    }

    /** Whether images load as one channel unless told otherwise. */
    public boolean grayscaleDefault() {
        return defaultShape.channels() == 1;
    }

    /** Whether the default load keeps the files' own size. */
    public boolean defaultIsNativeSize() {
        return defaultShape.height() == nativeShape.height() && defaultShape.width() == nativeShape.width();
    }
}
