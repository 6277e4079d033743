package dev.mi4j.datasets;

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

    /** {@code $MI4J_DATA_DIR} or the first {@code shared/datasets} found walking up from the working directory. */
    static Path sharedDatasets() {
        Optional<Path> env = Optional.ofNullable(System.getenv("MI4J_DATA_DIR")).map(Path::of);
        if (env.isPresent() && Files.isDirectory(env.get().resolve("att_faces"))) {
            return env.get();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("shared/datasets/att_faces"))) {
                return d.resolve("shared/datasets");
            }
        }
        throw new IllegalStateException("test datasets not found: no shared/datasets above " + Path.of("").toAbsolutePath() + " and MI4J_DATA_DIR unset");
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
