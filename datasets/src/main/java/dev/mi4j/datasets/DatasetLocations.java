package dev.mi4j.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The places {@link DatasetResolver} looks for a dataset, after an explicit path: computed once
 * from the environment, or built directly (tests, embedding applications).
 *
 * @param envDataDir      value of {@code MI4J_DATA_DIR}: a folder that contains {@code <folderName>/}
 * @param sharedDatasets  {@code <repository root>/../shared/datasets}, if a repository root was found
 * @param cacheDir        user cache, {@code ~/.cache/mi4j/datasets} or system property {@code mi4j.cache}
 * @param downloadAllowed false when {@code MI4J_OFFLINE} or {@code -Dmi4j.offline} is true
 */
public record DatasetLocations(Optional<Path> envDataDir, Optional<Path> sharedDatasets, Path cacheDir,
                               boolean downloadAllowed) {

    public static final String ENV_DATA_DIR = "MI4J_DATA_DIR";
    public static final String ENV_OFFLINE = "MI4J_OFFLINE";
    public static final String PROP_HOME = "mi4j.home";
    public static final String PROP_CACHE = "mi4j.cache";
    public static final String PROP_OFFLINE = "mi4j.offline";

    public DatasetLocations {
        Objects.requireNonNull(envDataDir, "envDataDir");
        Objects.requireNonNull(sharedDatasets, "sharedDatasets");
        Objects.requireNonNull(cacheDir, "cacheDir");
    }

    /** From this process's environment variables, system properties and working directory. */
    public static DatasetLocations fromEnvironment() {
        return from(System.getenv(), System::getProperty, Path.of("").toAbsolutePath());
    }

    /**
     * From the given environment and system properties; {@code workingDir} is where the search
     * for the repository root starts when {@code mi4j.home} is not set.
     */
    public static DatasetLocations from(Map<String, String> env, Function<String, String> props, Path workingDir) {
        Optional<Path> envDir = nonBlank(env.get(ENV_DATA_DIR)).map(Path::of);
        String home = props.apply(PROP_HOME);
        Path start = nonBlank(home).map(Path::of).orElse(workingDir).toAbsolutePath().normalize();
        Optional<Path> shared = findRepositoryRoot(start)
                .map(root -> root.resolve("..").resolve("shared").resolve("datasets").normalize());
        Path cache = nonBlank(props.apply(PROP_CACHE)).map(Path::of)
                .orElseGet(() -> Path.of(Objects.requireNonNullElse(props.apply("user.home"), "."),
                        ".cache", "mi4j", "datasets"));
        boolean offline = isTrue(env.get(ENV_OFFLINE)) || isTrue(props.apply(PROP_OFFLINE));
        return new DatasetLocations(envDir, shared, cache.toAbsolutePath().normalize(), !offline);
    }

    /**
     * The first directory at or above {@code start} that holds a {@code pom.xml} or {@code .git}.
     * Started inside a module of a multi-module build (whose folder also has a pom.xml), it keeps
     * climbing while the parent folder has a pom.xml too and no .git was seen, so that the
     * repository root is found rather than the module: {@code mvn -pl datasets test} runs with
     * the module as working directory.
     */
    public static Optional<Path> findRepositoryRoot(Path start) {
        Path dir = start.toAbsolutePath().normalize();
        while (dir != null && !isProjectRoot(dir)) {
            dir = dir.getParent();
        }
        if (dir == null) {
            return Optional.empty();
        }
        while (!Files.exists(dir.resolve(".git")) && dir.getParent() != null
                && Files.isRegularFile(dir.getParent().resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        return Optional.of(dir);
    }

    private static boolean isProjectRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) || Files.exists(dir.resolve(".git"));
    }

    /** A copy of these locations that never downloads. */
    public DatasetLocations offline() {
        return new DatasetLocations(envDataDir, sharedDatasets, cacheDir, false);
    }

    /** The folders (data dirs, not dataset folders) searched after an explicit path, with their origin. */
    List<Map.Entry<String, Path>> searchOrder() {
        List<Map.Entry<String, Path>> l = new ArrayList<>();
        envDataDir.ifPresent(p -> l.add(Map.entry("env", p)));
        sharedDatasets.ifPresent(p -> l.add(Map.entry("shared", p)));
        l.add(Map.entry("cache", cacheDir));
        return l;
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static boolean isTrue(String s) {
        return s != null && (s.equalsIgnoreCase("true") || s.equals("1") || s.equalsIgnoreCase("yes"));
    }
}
