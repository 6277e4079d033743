package dev.mi4j.core.testing;

import dev.mi4j.core.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The real datasets tests run on: {@code $MI4J_DATA_DIR}, else the first {@code shared/datasets}
 * (holding {@code att_faces}) found walking up from the working directory. Shared by the tests of
 * every module through core's test jar. A missing copy fails the test: CI always has one.
 */
public final class SharedDatasets {

    private SharedDatasets() {
    }

    public static Path root() {
        String env = System.getenv("MI4J_DATA_DIR");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env).resolve("att_faces"))) {
            return Path.of(env);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("shared/datasets/att_faces"))) {
                return d.resolve("shared/datasets");
            }
        }
        throw new IllegalStateException("test datasets not found: no shared/datasets above "
                + Path.of("").toAbsolutePath() + " and MI4J_DATA_DIR unset");
    }

    /** One AT&amp;T face, e.g. {@code attFace("s1/1.pgm")}, as a [1, 112, 92] tensor in [0, 1]. */
    public static INDArray attFace(String relative) {
        return ImageDecoder.read(root().resolve("att_faces").resolve(relative), true, 0, 0);
    }
}
