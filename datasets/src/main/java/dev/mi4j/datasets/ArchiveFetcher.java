package dev.mi4j.datasets;

import dev.mi4j.core.Mi4jException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a dataset archive into the cache and installs it there, all or nothing: the archive
 * goes to a temporary file in the cache folder, is checked against its sha256 (when the source
 * has one), the manifest's files are extracted into a hidden staging folder, checked one by one
 * against the manifest, and only then is the staging folder renamed to {@code <folderName>}.
 * Any failure deletes the temporary file and the staging folder, so the cache never holds a
 * half-written dataset.
 */
final class ArchiveFetcher {

    private static final Logger log = LoggerFactory.getLogger(ArchiveFetcher.class);

    /** Refuse archives larger than this (the LFW source repository is ~200 MB). */
    static final long MAX_ARCHIVE_BYTES = 4L << 30;
    /** Refuse any single extracted file larger than this (zip bombs). */
    static final long MAX_ENTRY_BYTES = 256L << 20;

    private HttpClient http;

    /** Downloads from {@code source}, verifies and installs into {@code cacheDir/<folderName>}. */
    Path fetch(DatasetSpec spec, Manifest manifest, DownloadSource source, Path cacheDir) {
        return fetch(new DatasetResolver.FileSet(spec.name(), spec.folderName(), spec.manifestResource(), spec.sources()),
                manifest, source, cacheDir);
    }

    /** As {@link #fetch(DatasetSpec, Manifest, DownloadSource, Path)}, for any dataset's files (tables too). */
    Path fetch(DatasetResolver.FileSet spec, Manifest manifest, DownloadSource source, Path cacheDir) {
        Path target = cacheDir.resolve(spec.folderName());
        Path archive = null;
        Path staging = null;
        try {
            Files.createDirectories(cacheDir);
            archive = Files.createTempFile(cacheDir, "." + spec.folderName() + "-", ".zip.partial");
            log.info("downloading {} from {}", spec.name(), source.url());
            download(source.url(), archive);
            if (source.archiveSha256().isPresent()) {
                String actual = Manifest.sha256(archive);
                if (!actual.equals(source.archiveSha256().get())) {
                    throw new Mi4jException(source.url() + ": archive checksum mismatch: expected sha256 "
                            + source.archiveSha256().get() + ", found " + actual);
                }
            } else {
                log.warn("{}: no archive checksum recorded for this source; relying on the per-file manifest",
                        source.url());
            }
            staging = Files.createTempDirectory(cacheDir, "." + spec.folderName() + "-staging-");
            extractZip(archive, source.url().toString(), source.pathInArchive(), manifest.entries().keySet(), staging);
            try {
                manifest.verify(staging);
            } catch (Mi4jException e) {
                // Name the file as it is in the archive: the staging folder is deleted below.
                String inArchive = source.pathInArchive().isEmpty() ? "" : source.pathInArchive() + "/";
                throw new Mi4jException(source.url() + ": archive file "
                        + e.getMessage().replace(staging + "/", inArchive), e);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // Another process installed it meanwhile; theirs is as good as ours once verified.
                log.info("{} appeared in the cache while downloading; using that copy", target);
                manifest.verify(target);
                return target;
            }
            staging = null;
            log.info("installed {} into {}", spec.name(), target);
            return target;
        } catch (IOException e) {
            throw new Mi4jException(source.url() + ": download or install into " + cacheDir + " failed: " + e, e);
        } finally {
            deleteQuietly(archive);
            deleteQuietly(staging);
        }
    }

    private void download(URI url, Path dest) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                try (InputStream in = Files.newInputStream(Path.of(url))) {
                    copyCapped(in, dest, url);
                }
            }
            case "http", "https" -> {
                HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET().build();
                HttpResponse<InputStream> resp;
                try {
                    resp = client().send(req, HttpResponse.BodyHandlers.ofInputStream());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                try (InputStream in = resp.body()) {
                    if (resp.statusCode() != 200) {
                        throw new Mi4jException(url + ": download failed: HTTP " + resp.statusCode());
                    }
                    copyCapped(in, dest, url);
                }
            }
            default -> throw new Mi4jException(url + ": unsupported URL scheme '" + scheme + "' (http, https, file)");
        }
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30)).build();
        }
        return http;
    }

    private static void copyCapped(InputStream in, Path dest, Object what) throws IOException {
        try (OutputStream out = Files.newOutputStream(dest)) {
            long total = 0;
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > MAX_ARCHIVE_BYTES) {
                    throw new Mi4jException(what + ": archive larger than " + MAX_ARCHIVE_BYTES + " bytes; refused");
                }
                out.write(buf, 0, n);
            }
        }
    }

    /**
     * Extracts the entries under {@code prefix} whose remaining path is in {@code wanted}. Every
     * entry name is checked first, wanted or not: an absolute path or a ".." segment (zip slip)
     * refuses the whole archive, naming the entry.
     */
    static void extractZip(Path zip, String label, String prefix, Set<String> wanted, Path dest) throws IOException {
        String pre = prefix.isEmpty() ? "" : prefix + "/";
        Path base = dest.toAbsolutePath().normalize();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> en = zf.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                String bare = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                if (!bare.isEmpty() && !Manifest.isSafeRelativePath(bare)) {
                    throw new Mi4jException(label + ": refusing archive entry '" + name
                            + "': absolute path or '..' would write outside the dataset folder");
                }
                if (e.isDirectory() || !name.startsWith(pre)) {
                    continue;
                }
                String rel = name.substring(pre.length());
                if (!wanted.contains(rel)) {
                    continue;
                }
                Path out = base.resolve(rel).normalize();
                if (!out.startsWith(base)) {
                    throw new Mi4jException(label + ": refusing archive entry '" + name + "': escapes the dataset folder");
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zf.getInputStream(e); OutputStream os = Files.newOutputStream(out)) {
                    long total = 0;
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (total > MAX_ENTRY_BYTES) {
                            throw new Mi4jException(label + ": archive entry '" + name + "' is larger than "
                                    + MAX_ENTRY_BYTES + " bytes; refused");
                        }
                        os.write(buf, 0, n);
                    }
                }
            }
        } catch (ZipException e) {
            throw new Mi4jException(label + ": not a valid zip archive: " + e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path p) {
        if (p == null || !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete temporary {}: {}", p, e.getMessage());
        }
    }
}
