package dev.mi4j.datasets;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Entry point: resolve, verify and read a named dataset. */
public final class Datasets {

    private Datasets() {
    }

    /** Loads with the resolver of this process's environment ({@link DatasetResolver#fromEnvironment()}). */
    public static LoadedDataset load(String name, Optional<Path> explicitPath, LoadOptions options) {
        return load(DatasetResolver.fromEnvironment(), name, explicitPath, options);
    }

    public static LoadedDataset load(DatasetResolver resolver, String name, Optional<Path> explicitPath,
                                     LoadOptions options) {
        Objects.requireNonNull(options, "options");
        DatasetSpec spec = DatasetRegistry.get(name);
        ResolvedDataset resolved = resolver.resolve(spec, explicitPath);
        LabeledImages images = new ImageFolderReader(spec.filePattern())
                .read(resolved.root(), spec.name(), options.grayscale(), options.height(), options.width());
        // The manifest guarantees the listed files; this catches extra files that match the pattern.
        if (images.size() != spec.expectedImages() || images.numClasses() != spec.expectedIdentities()) {
            throw new Mi4jException(resolved.root() + ": found " + images.size() + " images of " + images.numClasses()
                    + " identities, expected " + spec.expectedImages() + " of " + spec.expectedIdentities()
                    + " for " + spec.name());
        }
        return new LoadedDataset(images, resolved);
    }
}
