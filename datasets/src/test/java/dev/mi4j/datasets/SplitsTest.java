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

    /**
     * The AT&T default is the split the CCS 2015 reproduction has always used: these are the
     * seed-42 7/3 split's files as computed before datasets declared defaults (SHA-256 of the
     * sources, one per line).
     */
    @Test
    void attDefaultSplitIsTheCcs2015SplitUnchanged() throws Exception {
        SplitRule rule = DatasetRegistry.ATT_FACES.defaultSplit();
        assertEquals(SplitRule.perIdentity(7, 42), rule);
        Split s = rule.apply(att);
        assertEquals("per-identity 7/3 seed 42", s.description());
        assertEquals(java.util.List.of("s1/1.pgm", "s1/4.pgm", "s1/6.pgm", "s2/3.pgm", "s2/4.pgm", "s2/10.pgm"),
                s.test().sources().subList(0, 6));
        assertEquals("18106cac6e139e900ef541805c86e49d668a65d975a17a29ddf7a5600f662cb6", sha256Lines(s.test().sources()));
        assertEquals("74792654add7d88274428b935c7d9453abf06cba862150585f4b3db661675f30", sha256Lines(s.train().sources()));
    }

    private static String sha256Lines(java.util.List<String> lines) throws Exception {
        byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                .digest(String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(h);
    }

    @Test
    void fractionIsStratifiedAndSharesTheCountSplitsShuffle() {
        // 0.7 of 10 is 7: the same images as the count split, from the same seeded shuffle.
        Split byFraction = Splits.perIdentityFraction(att, 0.7, 42);
        Split byCount = Splits.perIdentity(att, 7, 42);
        assertEquals(byCount.train().sources(), byFraction.train().sources());
        assertEquals(byCount.test().sources(), byFraction.test().sources());
        assertEquals("per-identity 0.7 (280/120) seed 42", byFraction.description());
        // Rounded per identity, at least one image on each side.
        Split small = Splits.perIdentityFraction(att, 0.01, 1);
        Split large = Splits.perIdentityFraction(att, 0.99, 1);
        for (int c = 0; c < 40; c++) {
            assertEquals(1, small.train().indicesOf(c).length);
            assertEquals(9, large.train().indicesOf(c).length);
            assertEquals(3, Splits.perIdentityFraction(att, 0.25, 1).train().indicesOf(c).length, "round(2.5) = 3");
        }
        assertThrows(IllegalArgumentException.class, () -> Splits.perIdentityFraction(att, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.perIdentityFraction(att, 0.0, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.perIdentityFraction(att, Double.NaN, 1));
    }

    @Test
    void splitRuleNeedsExactlyOneOfCountAndFraction() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> new SplitRule(7, 0.7, 1));
        assertTrue(both.getMessage().contains("exactly one of trainPerIdentity and trainFraction"), both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SplitRule(null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> SplitRule.perIdentity(0, 1));
        assertThrows(IllegalArgumentException.class, () -> SplitRule.fraction(1.5, 1));
        assertEquals("7 per identity, seed 42", DatasetRegistry.ATT_FACES.defaultSplit().text());
        assertEquals("0.7 of each identity, seed 42", DatasetRegistry.LFW_MIN70.defaultSplit().text());
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
