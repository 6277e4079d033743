package dev.mi4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
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
    void loadsLfwResizedWithSevenPeople(@TempDir Path cache) {
        LoadedDataset ds = Datasets.load(sharedOnly(cache), "lfw-min70", Optional.empty(), new LoadOptions(false, 32, 32));
        LabeledImages d = ds.images();
        assertArrayEquals(new long[] {1288, 3, 32, 32}, d.images().shape());
        assertEquals(7, d.numClasses());
        // Counts from the dataset's README (and scikit-learn's fetch_lfw_people min_faces_per_person=70).
        int bush = d.classNames().indexOf("George_W_Bush");
        assertEquals(530, d.indicesOf(bush).length);
        assertEquals(71, d.indicesOf(d.classNames().indexOf("Hugo_Chavez")).length);
        assertTrue(d.images().minNumber().doubleValue() >= 0.0 && d.images().maxNumber().doubleValue() <= 1.0);
    }

    @Test
    void loadsYaleFromFileNamesWithFifteenSubjects(@TempDir Path cache) {
        LoadedDataset ds = Datasets.load(sharedOnly(cache), "yale", Optional.empty(), LoadOptions.defaults(DatasetRegistry.YALE));
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
