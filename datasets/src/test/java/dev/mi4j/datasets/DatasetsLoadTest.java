package dev.mi4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.data.Split;
import dev.mi4j.core.image.ImageDecoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DatasetsLoadTest {

    /** Resolves only through the "shared" rule, never the user's real cache, never downloads. */
    private static DatasetResolver sharedOnly(Path cache) {
        return new DatasetResolver(new DatasetLocations(Optional.empty(), Optional.of(TestData.sharedDatasets()),
                cache, false));
    }

    @Test
    void loadsAllFourHundredAttImages(@TempDir Path cache) {
        LoadedDataset ds = Datasets.load(sharedOnly(cache), "att-faces", Optional.empty(),
                LoadOptions.defaults(DatasetRegistry.ATT_FACES));
        LabeledImages d = ds.images();
        assertEquals("shared", ds.resolved().origin());
        assertEquals(64, ds.resolved().manifestSha256().length());
        assertArrayEquals(new long[] {400, 1, 112, 92}, d.images().shape());
        assertEquals(DataType.FLOAT, d.images().dataType());
        assertTrue(d.images().minNumber().doubleValue() >= 0.0);
        assertTrue(d.images().maxNumber().doubleValue() <= 1.0);
        assertTrue(d.images().maxNumber().doubleValue() > 0.7, "images are not all dark");
        assertEquals(40, d.numClasses());
        for (int c = 0; c < 40; c++) {
            assertEquals(10, d.indicesOf(c).length, "images of class " + c);
            assertEquals("s" + (c + 1), d.classNames().get(c), "natural identity order");
        }
        // Natural order within an identity: 1.pgm ... 10.pgm, not 1, 10, 2.
        assertEquals(List.of("s1/1.pgm", "s1/2.pgm"), d.sources().subList(0, 2));
        assertEquals("s1/10.pgm", d.sources().get(9));
        assertEquals("s10/1.pgm", d.sources().get(90));
        // Each image is exactly its file.
        Path root = ds.resolved().root();
        for (int i : new int[] {0, 137, 399}) {
            INDArray expected = ImageDecoder.read(root.resolve(d.sources().get(i)), true, 0, 0);
            assertEquals(expected, d.images().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)), "image " + i);
        }
    }

    @Test
    void attDefaultsAreTheNativeImages(@TempDir Path cache) {
        DatasetSpec spec = DatasetRegistry.ATT_FACES;
        assertEquals(spec.nativeShape(), spec.defaultShape());
        assertTrue(spec.defaultIsNativeSize());
        assertEquals(new LoadOptions(true, 112, 92), LoadOptions.defaults(spec));
        LabeledImages native_ = Datasets.load(sharedOnly(cache), "att-faces", Optional.empty(), LoadOptions.nativeSize(spec))
                .images();
        LabeledImages byDefault = Datasets.load(sharedOnly(cache), "att-faces", Optional.empty(), LoadOptions.defaults(spec))
                .images();
        assertEquals(native_.images(), byDefault.images());
        assertEquals(native_.sources(), byDefault.sources());
    }

    @Test
    void loadsLfwAtItsDefaultSizeWithSevenPeopleAndSplitsByFraction(@TempDir Path cache) {
        LoadedDataset ds = Datasets.load(sharedOnly(cache), "lfw-min70", Optional.empty(),
                LoadOptions.defaults(DatasetRegistry.LFW_MIN70));
        LabeledImages d = ds.images();
        assertArrayEquals(new long[] {1288, 3, 64, 64}, d.images().shape());
        assertEquals(7, d.numClasses());
        // Counts from the dataset's README (and scikit-learn's fetch_lfw_people min_faces_per_person=70).
        int bush = d.classNames().indexOf("George_W_Bush");
        assertEquals(530, d.indicesOf(bush).length);
        int chavez = d.classNames().indexOf("Hugo_Chavez");
        assertEquals(71, d.indicesOf(chavez).length);
        assertTrue(d.images().minNumber().doubleValue() >= 0.0 && d.images().maxNumber().doubleValue() <= 1.0);
        // The default split: 0.7 of each identity (rounded), so every identity is trained and tested.
        Split s = DatasetRegistry.LFW_MIN70.defaultSplit().apply(d);
        assertEquals(902, s.train().size());
        assertEquals(386, s.test().size());
        assertEquals("per-identity 0.7 (902/386) seed 42", s.description());
        assertEquals(371, s.train().indicesOf(bush).length);
        assertEquals(50, s.train().indicesOf(chavez).length);
        for (int c = 0; c < 7; c++) {
            assertTrue(s.test().indicesOf(c).length >= 21, "identity " + d.classNames().get(c) + " is tested");
        }
    }

    @Test
    void loadsYaleFromFileNamesWithFifteenSubjects(@TempDir Path cache) {
        // Native size here: the file names and counts are the point.
        LoadedDataset ds = Datasets.load(sharedOnly(cache), "yale", Optional.empty(), LoadOptions.nativeSize(DatasetRegistry.YALE));
        LabeledImages d = ds.images();
        assertArrayEquals(new long[] {164, 1, 243, 320}, d.images().shape());
        assertEquals(15, d.numClasses());
        assertEquals("subject01", d.classNames().get(0));
        assertEquals("subject15", d.classNames().get(14));
        // subject01.centerlight is missing from every known copy.
        assertEquals(10, d.indicesOf(0).length);
        IntStream.range(1, 15).forEach(c -> assertEquals(11, d.indicesOf(c).length));
        assertTrue(d.sources().stream().allMatch(s -> s.startsWith(d.classNames().get(d.labels()[d.sources().indexOf(s)]))));
    }

    @Test
    void yaleDefaultsAreAQuarterSizeAndSevenTenthsOfEachSubject(@TempDir Path cache) {
        LabeledImages d = Datasets.load(sharedOnly(cache), "yale", Optional.empty(), LoadOptions.defaults(DatasetRegistry.YALE))
                .images();
        assertArrayEquals(new long[] {164, 1, 60, 80}, d.images().shape());
        Split s = DatasetRegistry.YALE.defaultSplit().apply(d);
        assertEquals(119, s.train().size());
        assertEquals(45, s.test().size());
        assertEquals(7, s.train().indicesOf(0).length, "subject01 has 10 images");
        IntStream.range(1, 15).forEach(c -> assertEquals(8, s.train().indicesOf(c).length));
    }

    @Test
    void explicitPathMayBeTheDatasetFolderOrItsParent(@TempDir Path cache) {
        DatasetResolver r = new DatasetResolver(TestData.onlyCache(cache, false));
        Path folder = TestData.shared(DatasetRegistry.ATT_FACES);
        assertEquals(folder, r.resolve(DatasetRegistry.ATT_FACES, Optional.of(folder)).root());
        ResolvedDataset viaParent = r.resolve(DatasetRegistry.ATT_FACES, Optional.of(folder.getParent()));
        assertEquals(folder, viaParent.root());
        assertEquals("explicit", viaParent.origin());
    }

    @Test
    void unknownDatasetNameListsKnownOnes() {
        Mi4jException e = assertThrows(Mi4jException.class, () -> DatasetRegistry.get("mnist-faces"));
        assertTrue(e.getMessage().contains("att-faces, lfw-min70, yale"), e.getMessage());
    }

    @Test
    void naturalOrderSortsNumbersByValue() {
        List<String> names = new java.util.ArrayList<>(List.of("s10", "s2", "s1", "s01", "s100", "a", "s9x"));
        names.sort(NaturalOrder.INSTANCE);
        assertEquals(List.of("a", "s01", "s1", "s2", "s9x", "s10", "s100"), names);
    }
}
