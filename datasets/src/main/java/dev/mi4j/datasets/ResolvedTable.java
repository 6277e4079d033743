package dev.mi4j.datasets;

import java.nio.file.Path;

/**
 * A table found and verified on disk.
 *
 * @param spec           what it is
 * @param file           its CSV file
 * @param origin         where it was found: explicit, env, shared, cache or download
 * @param manifestSha256 sha256 of the manifest text it was verified against, for provenance
 */
public record ResolvedTable(TabularDatasetSpec spec, Path file, String origin, String manifestSha256) {
}
