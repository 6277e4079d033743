package dev.mi4j.datasets;

import dev.mi4j.core.tabular.TabularData;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Entry point for tables: resolve, verify and read a named tabular dataset. */
public final class TabularDatasets {

    /**
     * A table read from a verified file.
     *
     * @param data     the records (complete cases), with the reader's provenance
     * @param resolved where it was found and the manifest it was verified against
     */
    public record Loaded(TabularData data, ResolvedTable resolved) {

        public TabularDatasetSpec spec() {
            return resolved.spec();
        }
    }

    private TabularDatasets() {
    }

    /** Loads with the resolver of this process's environment. */
    public static Loaded load(String name, Optional<Path> explicitPath) {
        return load(DatasetResolver.fromEnvironment(), name, explicitPath);
    }

    public static Loaded load(DatasetResolver resolver, String name, Optional<Path> explicitPath) {
        Objects.requireNonNull(resolver, "resolver");
        TabularDatasetSpec spec = DatasetRegistry.tabular(name);
        ResolvedTable resolved = resolver.resolve(spec, explicitPath);
        return new Loaded(TabularCsvReader.read(resolved.file(), spec, resolved.manifestSha256()), resolved);
    }
}
