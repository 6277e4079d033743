package dev.mi4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetResolverTest {

    private static final DatasetSpec ATT = DatasetRegistry.ATT_FACES;

    @TempDir
    Path tmp;

    @Test
    void resolutionOrderIsExplicitThenEnvThenSharedThenCache() throws IOException {
        Path explicit = TestData.copyInto(ATT, tmp.resolve("explicit"));
        Path env = TestData.copyInto(ATT, tmp.resolve("env"));
        Path shared = TestData.copyInto(ATT, tmp.resolve("shared"));
        Path cache = TestData.copyInto(ATT, tmp.resolve("cache"));
        DatasetResolver r = new DatasetResolver(new DatasetLocations(Optional.of(tmp.resolve("env")),
                Optional.of(tmp.resolve("shared")), tmp.resolve("cache"), false));

        ResolvedDataset e = r.resolve(ATT, Optional.of(explicit));
        assertEquals("explicit", e.origin());
        assertEquals(explicit, e.root());
        assertEquals(env, check(r.resolve(ATT, Optional.empty()), "env"));
        ArchiveFetcher.deleteQuietly(env);
        assertEquals(shared, check(r.resolve(ATT, Optional.empty()), "shared"));
        ArchiveFetcher.deleteQuietly(shared);
        assertEquals(cache, check(r.resolve(ATT, Optional.empty()), "cache"));
        ArchiveFetcher.deleteQuietly(cache);
        Mi4jException offline = assertThrows(Mi4jException.class, () -> r.resolve(ATT, Optional.empty()));
        String m = offline.getMessage();
        assertFalse(m.contains("\n"));
        for (Path tried : List.of(env, shared, cache)) {
            assertTrue(m.contains(tried.toString()), "offline message names " + tried + ": " + m);
        }
        assertTrue(m.contains("MI4J_DATA_DIR") && m.contains("att_faces/") && m.contains("downloads are off"), m);
    }

    private static Path check(ResolvedDataset d, String origin) {
        assertEquals(origin, d.origin());
        return d.root();
    }

    @Test
    void offlineMessageSaysEnvVarIsUnsetAndWhereToPutFiles() {
        DatasetResolver r = new DatasetResolver(TestData.onlyCache(tmp.resolve("cache"), false));
        Mi4jException e = assertThrows(Mi4jException.class, () -> r.resolve(DatasetRegistry.YALE, Optional.empty()));
        assertTrue(e.getMessage().startsWith("dataset 'yale' not found; looked in $MI4J_DATA_DIR/yalefaces (not set), "
                + tmp.resolve("cache/yalefaces")), e.getMessage());
        assertTrue(e.getMessage().contains("Put the folder yalefaces/ (164 files"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cache/yalefaces")));
    }

    @Test
    void checksumMismatchNamesTheFileAndBothHashes() throws IOException {
        Path copy = TestData.copyInto(ATT, tmp);
        Path victim = copy.resolve("s17/4.pgm");
        byte[] b = Files.readAllBytes(victim);
        b[b.length - 1] ^= 1;
        Files.write(victim, b);
        String expected = Manifest.fromResource(ATT.manifestResource()).entries().get("s17/4.pgm");
        String actual = Manifest.sha256(victim);
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> new DatasetResolver(TestData.onlyCache(tmp.resolve("c"), false)).resolve(ATT, Optional.of(copy)));
        assertEquals(victim + ": checksum mismatch: expected sha256 " + expected + ", found " + actual, e.getMessage());
    }

    @Test
    void missingFileAndMissingIdentityFolderAreNamed() throws IOException {
        Path copy = TestData.copyInto(ATT, tmp);
        Files.delete(copy.resolve("s3/7.pgm"));
        DatasetResolver r = new DatasetResolver(TestData.onlyCache(tmp.resolve("c"), false));
        Mi4jException e = assertThrows(Mi4jException.class, () -> r.resolve(ATT, Optional.of(copy)));
        assertTrue(e.getMessage().startsWith(copy.resolve("s3/7.pgm") + ": file is missing"), e.getMessage());

        ArchiveFetcher.deleteQuietly(copy.resolve("s25"));
        Mi4jException f = assertThrows(Mi4jException.class, () -> r.resolve(ATT, Optional.of(copy)));
        assertTrue(f.getMessage().startsWith(copy.resolve("s25") + ": identity folder is missing (10 files"), f.getMessage());
    }

    @Test
    void aCorruptCopyIsAnErrorNotAFallThrough() throws IOException {
        Path env = TestData.copyInto(ATT, tmp.resolve("env"));
        Files.write(env.resolve("s1/1.pgm"), new byte[0]);
        DatasetResolver r = new DatasetResolver(new DatasetLocations(Optional.of(tmp.resolve("env")),
                Optional.of(TestData.sharedDatasets()), tmp.resolve("cache"), false));
        Mi4jException e = assertThrows(Mi4jException.class, () -> r.resolve(ATT, Optional.empty()));
        assertTrue(e.getMessage().startsWith(env.resolve("s1/1.pgm") + ": checksum mismatch"), e.getMessage());
    }

    @Test
    void explicitPathThatDoesNotExistIsNamed() {
        DatasetResolver r = new DatasetResolver(TestData.onlyCache(tmp.resolve("c"), false));
        Path nowhere = tmp.resolve("nowhere");
        Mi4jException e = assertThrows(Mi4jException.class, () -> r.resolve(ATT, Optional.of(nowhere)));
        assertTrue(e.getMessage().startsWith(nowhere + ": "), e.getMessage());
    }

    @Test
    void describeAllReportsWithoutThrowing() throws IOException {
        Path env = TestData.copyInto(ATT, tmp.resolve("env"));
        Files.delete(env.resolve("s2/2.pgm"));
        TestData.copyInto(DatasetRegistry.YALE, tmp.resolve("cache"));
        DatasetResolver r = new DatasetResolver(new DatasetLocations(Optional.of(tmp.resolve("env")),
                Optional.empty(), tmp.resolve("cache"), true));
        Map<String, Resolution> byName = new java.util.HashMap<>();
        r.describeAll().forEach(x -> byName.put(x.spec().name(), x));
        assertEquals(3, byName.size());
        Resolution att = byName.get("att-faces");
        assertEquals("env", att.origin());
        assertFalse(att.verified());
        assertTrue(att.verifiedText().contains("s2/2.pgm: file is missing"), att.verifiedText());
        Resolution yale = byName.get("yale");
        assertEquals("cache", yale.origin());
        assertTrue(yale.verified());
        assertEquals("yes", yale.verifiedText());
        Resolution lfw = byName.get("lfw-min70");
        assertEquals("not found", lfw.origin());
        assertEquals("no", lfw.verifiedText());
        // describe never downloads.
        assertFalse(Files.exists(tmp.resolve("cache/lfw_deepfunneled_min70")));
    }

    @Test
    void locationsComeFromEnvironmentAndRepositoryRoot() throws IOException {
        // tmp/repo/{pom.xml,.git}, tmp/repo/mod/pom.xml, tmp/shared/datasets
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve(".git"));
        Path mod = Files.createDirectories(repo.resolve("mod/src"));
        Files.writeString(repo.resolve("mod/pom.xml"), "<project/>");
        Map<String, String> props = Map.of("user.home", tmp.resolve("home").toString());
        DatasetLocations fromModule = DatasetLocations.from(Map.of(), props::get, mod);
        assertEquals(Optional.of(tmp.resolve("shared/datasets")), fromModule.sharedDatasets());
        assertEquals(tmp.resolve("home/.cache/mi4j/datasets"), fromModule.cacheDir());
        assertTrue(fromModule.downloadAllowed());
        assertEquals(Optional.empty(), fromModule.envDataDir());

        Map<String, String> props2 = Map.of("user.home", "/h", "mi4j.home", repo.resolve("mod").toString(),
                "mi4j.cache", tmp.resolve("c").toString());
        DatasetLocations withHome = DatasetLocations.from(Map.of("MI4J_DATA_DIR", "/data", "MI4J_OFFLINE", "1"),
                props2::get, Path.of("/"));
        assertEquals(Optional.of(tmp.resolve("shared/datasets")), withHome.sharedDatasets());
        assertEquals(tmp.resolve("c"), withHome.cacheDir());
        assertEquals(Optional.of(Path.of("/data")), withHome.envDataDir());
        assertFalse(withHome.downloadAllowed());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(repo), s.toList(), "computing locations creates nothing (no cache, no shared)");
        }
    }
}
