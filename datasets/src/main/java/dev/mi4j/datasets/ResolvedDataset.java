package dev.mi4j.datasets;

import java.nio.file.Path;

/**
 * A dataset found and verified on disk.
 *
 * @param spec           what it is
 * @param root           its folder (holding the files named in the manifest)
 * @param origin         where it was found: explicit, env, shared, cache or download
 * @param manifestSha256 sha256 of the manifest text it was verified against, for provenance
 */
public record ResolvedDataset(DatasetSpec spec, Path root, String origin, String manifestSha256) {
}
