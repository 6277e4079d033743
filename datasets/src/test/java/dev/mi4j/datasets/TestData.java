package dev.mi4j.datasets;

import dev.mi4j.core.testing.SharedDatasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Where the shared real datasets are, and copies of them for tests that damage files. */
final class TestData {

    private TestData() {
    }

    /** The shared datasets folder (see {@link SharedDatasets}). */
    static Path sharedDatasets() {
        return SharedDatasets.root();
    }

    static Path shared(DatasetSpec spec) {
        return sharedDatasets().resolve(spec.folderName());
    }

    /** Copies a shared dataset folder to {@code dataDir/<folderName>} and returns the copy. */
    static Path copyInto(DatasetSpec spec, Path dataDir) {
        Path src = shared(spec);
        Path dst = dataDir.resolve(spec.folderName());
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dst;
    }

    /** Locations with nothing but a cache folder; downloads allowed or not. */
    static DatasetLocations onlyCache(Path cache, boolean download) {
        return new DatasetLocations(Optional.empty(), Optional.empty(), cache, download);
    }
}
