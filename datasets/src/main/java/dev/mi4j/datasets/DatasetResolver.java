package dev.mi4j.datasets;

import dev.mi4j.core.Mi4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a named dataset on disk, verifies every file against the project's SHA-256 manifest,
 * and downloads it into the cache when no copy exists.
 *
 * <p>Order: an explicit path; {@code $MI4J_DATA_DIR/<folderName>}; {@code shared/datasets/<folderName>}
 * beside the repository root; the user cache; a download into the cache. The first location
 * where the folder exists is used, and a copy there that fails verification is an error rather
 * than a reason to look further: silently falling back to another copy would make results
 * depend on which copies happen to be intact.
 */
public final class DatasetResolver {

    private static final Logger log = LoggerFactory.getLogger(DatasetResolver.class);

    private final DatasetLocations locations;
    private final ArchiveFetcher fetcher = new ArchiveFetcher();

    public DatasetResolver(DatasetLocations locations) {
        this.locations = Objects.requireNonNull(locations, "locations");
    }

    /** A resolver for this process's environment variables, system properties and working directory. */
    public static DatasetResolver fromEnvironment() {
        return new DatasetResolver(DatasetLocations.fromEnvironment());
    }

    public DatasetLocations locations() {
        return locations;
    }

    /**
     * What resolution needs to know of a dataset, whatever its kind: its name, folder, manifest
     * and download sources. Image datasets ({@link DatasetSpec}) and tables
     * ({@link TabularDatasetSpec}) resolve through the same rules.
     */
    record FileSet(String name, String folderName, String manifestResource, List<DownloadSource> sources) {
    }

    /** Where a dataset's verified files are. */
    record Located(Path root, String origin, String manifestSha256) {
    }

    /**
     * Finds and verifies {@code spec}. An explicit path may be the dataset folder itself or a
     * data folder that contains {@code <folderName>/}.
     */
    public ResolvedDataset resolve(DatasetSpec spec, Optional<Path> explicitPath) {
        Located l = locate(new FileSet(spec.name(), spec.folderName(), spec.manifestResource(), spec.sources()), explicitPath);
        return new ResolvedDataset(spec, l.root(), l.origin(), l.manifestSha256());
    }

    /**
     * Finds and verifies the table {@code spec} by the same rules as an image dataset. An explicit
     * path may be the dataset folder, a data folder that contains {@code <folderName>/}, or the
     * CSV file itself (its folder must then hold every file of the manifest).
     */
    public ResolvedTable resolve(TabularDatasetSpec spec, Optional<Path> explicitPath) {
        Optional<Path> folder = explicitPath.map(p -> Files.isRegularFile(p)
                && p.getFileName().toString().equals(spec.fileName()) && p.toAbsolutePath().getParent() != null
                ? p.toAbsolutePath().getParent() : p);
        Located l = locate(new FileSet(spec.name(), spec.folderName(), spec.manifestResource(), spec.sources()), folder);
        return new ResolvedTable(spec, l.root().resolve(spec.fileName()), l.origin(), l.manifestSha256());
    }

    private Located locate(FileSet spec, Optional<Path> explicitPath) {
        Manifest manifest = Manifest.fromResource(spec.manifestResource());
        if (explicitPath.isPresent()) {
            Path p = explicitPath.get();
            Path nested = p.resolve(spec.folderName());
            Path root = Files.isDirectory(nested) ? nested : p;
            if (!Files.isDirectory(root)) {
                throw new Mi4jException(p + ": dataset path for '" + spec.name() + "' does not exist or is not a folder");
            }
            return verified(spec, manifest, root, "explicit");
        }
        for (Map.Entry<String, Path> loc : locations.searchOrder()) {
            Path root = loc.getValue().resolve(spec.folderName());
            if (Files.isDirectory(root)) {
                return verified(spec, manifest, root, loc.getKey());
            }
        }
        String notFound = "dataset '" + spec.name() + "' not found; looked in " + triedPaths(spec.folderName())
                + ". Put the folder " + spec.folderName() + "/ (" + manifest.size() + " files, see "
                + spec.manifestResource() + ") in one of them, set " + DatasetLocations.ENV_DATA_DIR
                + " to a folder that contains " + spec.folderName() + "/, or pass its path explicitly";
        if (!locations.downloadAllowed()) {
            throw new Mi4jException(notFound + " (downloads are off: " + DatasetLocations.ENV_OFFLINE + "/-D"
                    + DatasetLocations.PROP_OFFLINE + ")");
        }
        if (spec.sources().isEmpty()) {
            throw new Mi4jException(notFound + " (no download source is recorded for it)");
        }
        List<String> failures = new ArrayList<>();
        for (DownloadSource source : spec.sources()) {
            try {
                Path root = fetcher.fetch(spec, manifest, source, locations.cacheDir());
                return new Located(root, "download", manifest.textSha256());
            } catch (Mi4jException e) {
                log.warn("download of {} from {} failed: {}", spec.name(), source.url(), e.getMessage());
                failures.add(e.getMessage());
            }
        }
        throw new Mi4jException(notFound + "; download failed: " + String.join("; ", failures));
    }

    /** Where every known dataset is, without downloading and without throwing. */
    public List<Resolution> describeAll() {
        return DatasetRegistry.all().stream().map(this::describe).collect(Collectors.toList());
    }

    /** Where this dataset is (env, shared or cache), and whether it verifies; no download. */
    public Resolution describe(DatasetSpec spec) {
        for (Map.Entry<String, Path> loc : locations.searchOrder()) {
            Path root = loc.getValue().resolve(spec.folderName());
            if (Files.isDirectory(root)) {
                try {
                    Manifest.fromResource(spec.manifestResource()).verify(root);
                    return new Resolution(spec, loc.getKey(), Optional.of(root), true, "verified");
                } catch (Mi4jException e) {
                    return new Resolution(spec, loc.getKey(), Optional.of(root), false, e.getMessage());
                }
            }
        }
        return new Resolution(spec, "not found", Optional.empty(), false, "not found (looked in " + triedPaths(spec) + ")");
    }

    private String triedPaths(DatasetSpec spec) {
        return triedPaths(spec.folderName());
    }

    private String triedPaths(String folderName) {
        List<String> tried = new ArrayList<>();
        if (locations.envDataDir().isEmpty()) {
            tried.add("$" + DatasetLocations.ENV_DATA_DIR + "/" + folderName + " (not set)");
        }
        for (Map.Entry<String, Path> loc : locations.searchOrder()) {
            tried.add(loc.getValue().resolve(folderName).toString());
        }
        return String.join(", ", tried);
    }

    private static Located verified(FileSet spec, Manifest manifest, Path root, String origin) {
        manifest.verify(root);
        log.debug("{}: {} verified against {} ({} files)", spec.name(), root, spec.manifestResource(), manifest.size());
        return new Located(root, origin, manifest.textSha256());
    }
}
