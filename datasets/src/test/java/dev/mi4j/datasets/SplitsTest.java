package dev.mi4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.data.Split;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static LabeledImages att;

    @BeforeAll
    static void load() {
        att = Datasets.load(new DatasetResolver(TestData.onlyCache(TestData.sharedDatasets().resolve("none"), false)),
                "att-faces", Optional.of(TestData.sharedDatasets()), LoadOptions.defaults(DatasetRegistry.ATT_FACES)).images();
    }

    @Test
    void perIdentitySevenOfTenGives280And120Disjoint() {
        Split s = Splits.perIdentity(att, 7, 42);
        assertEquals(280, s.train().size());
        assertEquals(120, s.test().size());
        assertEquals("per-identity 7/3 seed 42", s.description());
        for (int c = 0; c < 40; c++) {
            assertEquals(7, s.train().indicesOf(c).length);
            assertEquals(3, s.test().indicesOf(c).length);
        }
        Set<String> train = new HashSet<>(s.train().sources());
        Set<String> test = new HashSet<>(s.test().sources());
        assertEquals(280, train.size());
        test.forEach(t -> assertTrue(!train.contains(t), t + " is in both"));
        // Labels follow the images: every source sits in its class's folder.
        for (int i = 0; i < s.test().size(); i++) {
            assertTrue(s.test().sources().get(i).startsWith(att.classNames().get(s.test().labels()[i]) + "/"));
        }
        assertEquals(att.classNames(), s.train().classNames());
        assertArrayEquals(new long[] {280, 1, 112, 92}, s.train().images().shape());
    }

    @Test
    void perIdentityIsDeterministicPerSeed() {
        Split a = Splits.perIdentity(att, 7, 42);
        Split b = Splits.perIdentity(att, 7, 42);
        Split c = Splits.perIdentity(att, 7, 43);
        assertEquals(a.train().sources(), b.train().sources());
        assertEquals(a.test().sources(), b.test().sources());
        assertEquals(a.train().images(), b.train().images());
        assertNotEquals(a.test().sources(), c.test().sources());
    }

    @Test
    void perIdentityRejectsTooFewImages() {
        Mi4jException e = assertThrows(Mi4jException.class, () -> Splits.perIdentity(att, 10, 1));
        assertTrue(e.getMessage().contains("identity 's1', which has 10 images"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.perIdentity(att, 0, 1));
    }

    @Test
    void identityDisjointHalvesShareNoIdentity() {
        IdentitySplit s = Splits.identityDisjoint(att, 7);
        assertEquals(20, s.privateSet().numClasses());
        assertEquals(20, s.publicSet().numClasses());
        assertEquals(200, s.privateSet().size());
        assertEquals(200, s.publicSet().size());
        Set<String> priv = new HashSet<>(s.privateSet().classNames());
        s.publicSet().classNames().forEach(n -> assertTrue(!priv.contains(n), n + " in both halves"));
        // Relabelled 0..19, and each label still names the identity its images come from.
        for (LabeledImages half : new LabeledImages[] {s.privateSet(), s.publicSet()}) {
            for (int i = 0; i < half.size(); i++) {
                int l = half.labels()[i];
                assertTrue(l >= 0 && l < 20);
                assertTrue(half.sources().get(i).startsWith(half.classNames().get(l) + "/"));
            }
        }
        assertEquals("identity-disjoint 20 private/20 public seed 7", s.description());
        assertEquals(s.privateSet(), s.toSplit().train());
        assertEquals(s.privateSet().classNames(), Splits.identityDisjoint(att, 7).privateSet().classNames());
        assertNotEquals(s.privateSet().classNames(), Splits.identityDisjoint(att, 8).privateSet().classNames());
    }
}
