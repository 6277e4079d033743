package dev.mi4j.datasets;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link DatasetResolver#describeAll()} found for one dataset, for a listing such as
 * {@code mi4j datasets}; never thrown, only reported.
 *
 * @param spec     the dataset
 * @param origin   env, shared or cache where a copy was found; "not found" otherwise
 * @param root     the copy's folder, if one was found
 * @param verified true if every file matched the manifest
 * @param message  "verified", "not found (looked in ...)", or the verification error
 */
public record Resolution(DatasetSpec spec, String origin, Optional<Path> root, boolean verified, String message) {

    /** "yes", "no" (nothing found) or the error message. */
    public String verifiedText() {
        return verified ? "yes" : root.isEmpty() ? "no" : message;
    }
}
