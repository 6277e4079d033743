package dev.mi4j.datasets;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One place a dataset can be downloaded from: a zip archive and where the dataset's files sit
 * inside it. Only the files named in the dataset's manifest are extracted, and they are all
 * verified against it, so an archive may hold more than the dataset (a whole repository).
 *
 * @param url           http(s) or file URL of a zip archive
 * @param archiveSha256 sha256 of the archive bytes; empty when the host does not promise
 *                      byte-stable archives (GitHub's generated ones), in which case the per-file
 *                      manifest check is the only integrity check
 * @param pathInArchive folder inside the archive that holds the dataset's files, "" for the top
 * @param note          what this source is, for humans
 */
public record DownloadSource(URI url, Optional<String> archiveSha256, String pathInArchive, String note) {

    public DownloadSource {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(archiveSha256, "archiveSha256");
        archiveSha256.ifPresent(h -> {
            if (!h.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("archiveSha256 must be 64 lower-case hex digits, got " + h);
            }
        });
        pathInArchive = pathInArchive == null ? "" : pathInArchive.replaceAll("^/+|/+$", "");
        note = note == null ? "" : note;
    }

    /** A GitHub archive of one commit, which GitHub generates on demand (bytes not guaranteed stable). */
    public static DownloadSource githubCommit(String ownerRepo, String commit, String folder) {
        String repoName = ownerRepo.substring(ownerRepo.indexOf('/') + 1);
        return new DownloadSource(URI.create("https://github.com/" + ownerRepo + "/archive/" + commit + ".zip"),
                Optional.empty(), repoName + "-" + commit + "/" + folder,
                "GitHub archive of " + ownerRepo + " at commit " + commit + ", folder " + folder);
    }
}
