package dev.mi4j.core.model;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a saved model as one unit: its zip and the sidecars the stores write beside it
 * ({@code <stem>.provenance.json}, a DAE's {@code <stem>.autoencoder.zip}, a GAN's
 * {@code <stem>.discriminator.zip}, ...), for a checksum that another machine can verify before it
 * loads the model (a sweep's cluster executors do).
 */
public final class ModelFiles {

    private ModelFiles() {
    }

    /** The zip and its sidecars, sorted by name; interrupted atomic writes are not part of a model. */
    public static List<Path> of(Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new Mi4jException("model file " + zip + " does not exist");
        }
        String name = zip.getFileName().toString();
        String stem = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        Path dir = zip.toAbsolutePath().getParent();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && !AtomicFiles.isPartial(p))
                    .filter(p -> p.getFileName().toString().equals(name) || p.getFileName().toString().startsWith(stem + "."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 over the names and contents of {@link #of the model's files}. */
    public static String checksum(Path zip) {
        StringBuilder sb = new StringBuilder();
        for (Path p : of(zip)) {
            sb.append(p.getFileName()).append(' ').append(Sha256.of(p)).append('\n');
        }
        return Sha256.of(sb.toString());
    }

    /**
     * Throws, naming the file, unless the model's files have the expected checksum.
     *
     * @param what what the model is, for the message ("target softmax")
     */
    public static void verify(Path zip, String expectedSha256, String what) {
        String actual = checksum(zip);
        if (!actual.equals(expectedSha256)) {
            throw new Mi4jException(what + ": model file " + zip + " (with its sidecar files) has checksum " + actual
                    + ", expected " + expectedSha256 + ": it differs from the file the sweep started with");
        }
    }
}
