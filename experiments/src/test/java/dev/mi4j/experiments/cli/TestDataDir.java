package dev.mi4j.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test datasets: $MI4J_DATA_DIR, else a shared/datasets folder above the working directory. */
final class TestDataDir {

    private TestDataDir() {
    }

    static Path find() {
        String env = System.getenv("MI4J_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("datasets");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("test datasets not found: set MI4J_DATA_DIR or put them in ../shared/datasets");
    }
}
