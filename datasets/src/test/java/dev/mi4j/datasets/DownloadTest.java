package dev.mi4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Download into the cache from a file: URL to a zip built from the shared AT&T copy. */
class DownloadTest {

    private static final DatasetSpec ATT = DatasetRegistry.ATT_FACES;
    private static final String PREFIX = "repo-abc123/orl_faces";

    @TempDir
    Path tmp;

    @Test
    void downloadsVerifiesAndInstallsIntoCache() throws IOException {
        Path zip = buildZip(Map.of());
        Path cache = tmp.resolve("cache");
        DatasetSpec spec = withSource(new DownloadSource(zip.toUri(), Optional.of(Manifest.sha256(zip)), PREFIX, "test"));
        DatasetResolver r = new DatasetResolver(TestData.onlyCache(cache, true));
        ResolvedDataset d = r.resolve(spec, Optional.empty());
        assertEquals("download", d.origin());
        assertEquals(cache.resolve("att_faces"), d.root());
        assertEquals(400, countFiles(d.root()), "only manifest files are extracted (the README stays out)");
        assertEquals(List.of("att_faces"), listNames(cache), "no temporary files left");
        // Second time it is found in the cache.
        assertEquals("cache", r.resolve(spec, Optional.empty()).origin());
        // And it loads.
        LoadedDataset ds = Datasets.load(new DatasetResolver(TestData.onlyCache(cache, false)), "att-faces",
                Optional.empty(), LoadOptions.defaults(ATT));
        assertEquals(400, ds.images().size());
    }

    @Test
    void archiveChecksumMismatchLeavesCacheEmpty() throws IOException {
        Path zip = buildZip(Map.of());
        Path cache = tmp.resolve("cache");
        String wrong = "0".repeat(64);
        DatasetSpec spec = withSource(new DownloadSource(zip.toUri(), Optional.of(wrong), PREFIX, "test"));
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> new DatasetResolver(TestData.onlyCache(cache, true)).resolve(spec, Optional.empty()));
        assertTrue(e.getMessage().contains(zip.toUri() + ": archive checksum mismatch: expected sha256 " + wrong
                + ", found " + Manifest.sha256(zip)), e.getMessage());
        assertTrue(e.getMessage().contains("not found; looked in"), e.getMessage());
        assertEquals(List.of(), listNames(cache));
    }

    @Test
    void corruptFileInArchiveIsNamedAndNothingIsInstalled() throws IOException {
        Path zip = buildZip(Map.of(PREFIX + "/s5/5.pgm", "P5\n92 112\n255\nnot really".getBytes()));
        Path cache = tmp.resolve("cache");
        // No archive checksum (like GitHub's generated archives): the manifest must catch it.
        DatasetSpec spec = withSource(new DownloadSource(zip.toUri(), Optional.empty(), PREFIX, "test"));
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> new DatasetResolver(TestData.onlyCache(cache, true)).resolve(spec, Optional.empty()));
        assertTrue(e.getMessage().contains(zip.toUri() + ": archive file " + PREFIX + "/s5/5.pgm: checksum mismatch"),
                e.getMessage());
        assertEquals(List.of(), listNames(cache), "no partial archive, staging folder or dataset left");
    }

    @Test
    void zipSlipEntryIsRefusedByName() throws IOException {
        Path zip = buildZip(Map.of("repo-abc123/../../evil.txt", "x".getBytes()));
        Path cache = tmp.resolve("cache");
        DatasetSpec spec = withSource(new DownloadSource(zip.toUri(), Optional.empty(), PREFIX, "test"));
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> new DatasetResolver(TestData.onlyCache(cache, true)).resolve(spec, Optional.empty()));
        assertTrue(e.getMessage().contains("refusing archive entry 'repo-abc123/../../evil.txt'"), e.getMessage());
        assertEquals(List.of(), listNames(cache));
        assertTrue(Files.notExists(tmp.resolve("evil.txt")));

        Path abs = buildZip(Map.of("/etc/evil", "x".getBytes()));
        DatasetSpec spec2 = withSource(new DownloadSource(abs.toUri(), Optional.empty(), PREFIX, "test"));
        Mi4jException f = assertThrows(Mi4jException.class,
                () -> new DatasetResolver(TestData.onlyCache(cache, true)).resolve(spec2, Optional.empty()));
        assertTrue(f.getMessage().contains("refusing archive entry '/etc/evil'"), f.getMessage());
    }

    @Test
    void notAZipIsRefused() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.zip"), "<html>404</html>");
        Path cache = tmp.resolve("cache");
        DatasetSpec spec = withSource(new DownloadSource(junk.toUri(), Optional.empty(), PREFIX, "test"));
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> new DatasetResolver(TestData.onlyCache(cache, true)).resolve(spec, Optional.empty()));
        assertTrue(e.getMessage().contains("not a valid zip archive"), e.getMessage());
        assertEquals(List.of(), listNames(cache));
    }

    private static DatasetSpec withSource(DownloadSource s) {
        return new DatasetSpec(ATT.name(), ATT.folderName(), ATT.description(), ATT.expectedIdentities(),
                ATT.expectedImages(), ATT.nativeShape(), ATT.defaultShape(), ATT.defaultSplit(), ATT.filePattern(),
                ATT.manifestResource(), List.of(s), ATT.terms());
    }

    /** Zip of the shared AT&T copy (with its README) under {@link #PREFIX}, entries replaced or added by {@code extra}. */
    private Path buildZip(Map<String, byte[]> extra) throws IOException {
        Path src = TestData.shared(ATT);
        Map<String, byte[]> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                entries.put(PREFIX + "/" + src.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        entries.putAll(extra);
        Path zip = Files.createTempFile(tmp, "archive", ".zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream zos = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zos.putNextEntry(new ZipEntry(e.getKey()));
                zos.write(e.getValue());
                zos.closeEntry();
            }
        }
        return zip;
    }

    private static long countFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static List<String> listNames(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
