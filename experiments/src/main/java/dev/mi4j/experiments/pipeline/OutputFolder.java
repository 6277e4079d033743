package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output folder of one run. Every result file is written through {@link AtomicFiles}, so a
 * run killed with kill -9 leaves only whole files and {@code .<name>.<n>.partial} temporaries;
 * the next run into the same folder deletes those leftovers before it writes anything.
 */
public final class OutputFolder {

    private static final Logger LOG = LoggerFactory.getLogger(OutputFolder.class);

    private OutputFolder() {
    }

    /** {@code name} as one folder or file name: every run of characters other than letters, digits, '.', '_' and '-' becomes '_'. */
    public static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /** Creates {@code dir} if needed and deletes the stale partial files below it; returns how many. */
    public static int prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Mi4jException("cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
        return cleanPartials(dir, Integer.MAX_VALUE);
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;   // vanished or unreadable: leave it
        }
    }

    /**
     * Deletes {@code .*.partial} leftovers of interrupted writes under {@code dir}, to the given
     * depth (1 = the folder itself). Other files are never touched.
     */
    public static int cleanPartials(Path dir, int depth) {
        return cleanPartials(dir, depth, java.time.Duration.ZERO);
    }

    /**
     * Like {@link #cleanPartials(Path, int)} but only for partial files last modified at least
     * {@code minAge} ago: for folders other processes may be writing into at the same time (the
     * model cache), where a fresh partial file may be another run's write in progress.
     */
    public static int cleanPartials(Path dir, int depth, java.time.Duration minAge) {
        long cutoff = System.currentTimeMillis() - minAge.toMillis();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> stale;
        try (Stream<Path> walk = Files.walk(dir, depth)) {
            stale = walk.filter(Files::isRegularFile).filter(AtomicFiles::isPartial)
                    .filter(p -> minAge.isZero() || lastModified(p) < cutoff).toList();
        } catch (IOException e) {
            throw new Mi4jException("cannot list output folder " + dir + ": " + e.getMessage(), e);
        }
        int n = 0;
        for (Path p : stale) {
            try {
                n += Files.deleteIfExists(p) ? 1 : 0;
            } catch (IOException e) {
                LOG.warn("cannot delete stale partial file {}: {}", p, e.getMessage());
            }
        }
        if (n > 0) {
            LOG.info("deleted {} partial file(s) left in {} by an interrupted run", n, dir);
        }
        return n;
    }
}
