package dev.mi4j.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrialGeneratorTest {

    private static Map<String, ParameterSpace> spaces(Object... nameSpace) {
        Map<String, ParameterSpace> m = new LinkedHashMap<>();
        for (int i = 0; i < nameSpace.length; i += 2) {
            m.put((String) nameSpace[i], (ParameterSpace) nameSpace[i + 1]);
        }
        return m;
    }

    @Test
    void gridIsTheFullProductFirstParameterSlowest() {
        SweepSpec spec = new SweepSpec(spaces(
                "lr", ParameterSpace.log(1e-3, 1, 4),
                "steps", ParameterSpace.intRange(100, 300, 100),
                "init", ParameterSpace.values(List.of("zeros", "noise"))), Strategy.GRID, 0, 0);
        List<Trial> trials = TrialGenerator.generate(spec, "base");
        assertEquals(24, trials.size());
        List<List<Object>> expected = new ArrayList<>();
        for (double lr : new double[] {0.001, 0.01, 0.1, 1.0}) {
            for (int steps : new int[] {100, 200, 300}) {
                for (String init : new String[] {"zeros", "noise"}) {
                    expected.add(List.of(lr, steps, init));
                }
            }
        }
        List<List<Object>> actual = trials.stream().map(t -> List.copyOf(t.params().values())).toList();
        assertEquals(expected, actual);
        assertEquals(List.of("lr", "steps", "init"), List.copyOf(trials.get(0).params().keySet()));
        assertEquals(24, trials.stream().map(Trial::id).distinct().count());
    }

    @Test
    void gridHonoursEachParametersOwnCountAndExactValues() {
        // Arbiter's own grid would discretise both continuous ranges with one shared count.
        SweepSpec spec = new SweepSpec(spaces(
                "a", ParameterSpace.linear(0, 1, 5),
                "b", ParameterSpace.linear(0.1, 0.3, 3)), Strategy.GRID, 0, 0);
        List<Trial> trials = TrialGenerator.generate(spec, "");
        assertEquals(15, trials.size());
        Set<Object> a = new HashSet<>();
        Set<Object> b = new HashSet<>();
        trials.forEach(t -> {
            a.add(t.params().get("a"));
            b.add(t.params().get("b"));
        });
        assertEquals(Set.of(0.0, 0.25, 0.5, 0.75, 1.0), a);
        assertEquals(Set.of(0.1, 0.2, 0.3), b); // 0.1 + 0.1 rounded, not 0.30000000000000004
    }

    @Test
    void equalValueListsOfTwoParametersAreNotMerged() {
        SweepSpec spec = new SweepSpec(spaces(
                "x", ParameterSpace.values(List.of(1, 2, 3)),
                "y", ParameterSpace.values(List.of(1, 2, 3))), Strategy.GRID, 0, 0);
        List<Trial> trials = TrialGenerator.generate(spec, "");
        assertEquals(9, trials.size());
        assertTrue(trials.stream().anyMatch(t -> t.params().get("x").equals(1) && t.params().get("y").equals(3)));
    }

    @Test
    void idsAreStableAndDependOnFingerprintAndValuesOnly() {
        SweepSpec spec = new SweepSpec(spaces("lr", ParameterSpace.linear(0.1, 0.5, 3)), Strategy.GRID, 0, 0);
        List<Trial> first = TrialGenerator.generate(spec, "cfg-A");
        assertEquals(first, TrialGenerator.generate(spec, "cfg-A"));
        List<Trial> other = TrialGenerator.generate(spec, "cfg-B");
        for (int i = 0; i < first.size(); i++) {
            assertNotEquals(first.get(i).id(), other.get(i).id());
        }
        LinkedHashMap<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", "x");
        LinkedHashMap<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", "x");
        ba.put("a", 1.0);
        assertEquals(TrialIds.of("f", ab), TrialIds.of("f", ba));
        ba.put("a", "1");
        assertNotEquals(TrialIds.of("f", ab), TrialIds.of("f", ba));
        assertTrue(TrialIds.of("f", ab).matches("[0-9a-f]{12}"));
    }

    @Test
    void randomIsSeededWithinRangesAndDistinct() {
        SweepSpec spec = new SweepSpec(spaces(
                "lr", ParameterSpace.log(1e-4, 1e-1, 4),
                "w", ParameterSpace.linear(-1, 1, 3),
                "steps", ParameterSpace.intRange(10, 50, 20),
                "init", ParameterSpace.values(List.of("zeros", "noise", "mean"))), Strategy.RANDOM, 30, 42);
        List<Trial> a = TrialGenerator.generate(spec, "base");
        assertEquals(30, a.size());
        assertEquals(a, TrialGenerator.generate(spec, "base"));
        assertNotEquals(a, TrialGenerator.generate(new SweepSpec(spec.spaces(), Strategy.RANDOM, 30, 43), "base"));
        assertEquals(30, a.stream().map(Trial::id).distinct().count());
        Set<Object> lrs = new HashSet<>();
        int lrBelow1e3 = 0;
        for (Trial t : a) {
            double lr = (Double) t.params().get("lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr " + lr);
            lrs.add(lr);
            lrBelow1e3 += lr < 1e-3 ? 1 : 0;
            double w = (Double) t.params().get("w");
            assertTrue(w >= -1 && w <= 1, "w " + w);
            assertTrue(Set.of(10, 30, 50).contains(t.params().get("steps")), "steps " + t.params().get("steps"));
            assertTrue(Set.of("zeros", "noise", "mean").contains(t.params().get("init")));
        }
        assertTrue(lrs.size() > 25, "continuous values are drawn, not grid points");
        // log-uniform: a third of the draws below 1e-3 is expected; uniform would give ~1%
        assertTrue(lrBelow1e3 >= 4, "log-uniform draws below 1e-3: " + lrBelow1e3);
    }

    @Test
    void randomStopsWhenASmallDiscreteSpaceIsExhausted() {
        SweepSpec spec = new SweepSpec(spaces(
                "a", ParameterSpace.values(List.of(1, 2)),
                "b", ParameterSpace.values(List.of("x", "y"))), Strategy.RANDOM, 10, 7);
        List<Trial> trials = TrialGenerator.generate(spec, "");
        assertEquals(4, trials.size());
    }

    @Test
    void singleValuedParametersDoNotShiftTheOthers() {
        // Arbiter beta7's grid alone fails on this (it drops one-valued parameters from its value array).
        SweepSpec spec = new SweepSpec(spaces(
                "fixed1", ParameterSpace.values(List.of("a")),
                "x", ParameterSpace.values(List.of(1, 2)),
                "fixed2", ParameterSpace.linear(0.5, 0.5, 1),
                "y", ParameterSpace.values(List.of("p", "q", "r"))), Strategy.GRID, 0, 0);
        List<Trial> trials = TrialGenerator.generate(spec, "");
        assertEquals(6, trials.size());
        assertEquals(List.of("a", 1, 0.5, "p"), List.copyOf(trials.get(0).params().values()));
        assertEquals(List.of("a", 2, 0.5, "r"), List.copyOf(trials.get(5).params().values()));
        List<Trial> random = TrialGenerator.generate(new SweepSpec(spec.spaces(), Strategy.RANDOM, 6, 3), "");
        assertEquals(6, random.size());
        assertTrue(random.stream().allMatch(t -> t.params().get("fixed1").equals("a") && t.params().get("fixed2").equals(0.5)));
        List<Trial> one = TrialGenerator.generate(new SweepSpec(spaces("only", ParameterSpace.values(List.of(7))), Strategy.GRID, 0, 0), "");
        assertEquals(1, one.size());
        assertEquals(7, one.get(0).params().get("only"));
    }

    @Test
    void duplicateGridCombinationsAreRejected() {
        SweepSpec spec = new SweepSpec(spaces("a", ParameterSpace.values(List.of(1, 1.0))), Strategy.GRID, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrialGenerator.generate(spec, ""));
        assertTrue(e.getMessage().contains("same trial"), e.getMessage());
    }

    @Test
    void badSpacesNameTheProblem() {
        assertThrows(IllegalArgumentException.class, () -> ParameterSpace.log(0, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> ParameterSpace.linear(1, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> ParameterSpace.intRange(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> ParameterSpace.values(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SweepSpec(spaces("a", ParameterSpace.linear(0, 1, 2)), Strategy.RANDOM, 0, 1));
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> ParameterSpace.fromConfig("alpha", Map.of("type", "log", "min", 0.0, "max", 1.0, "count", 3)));
        assertTrue(e.getMessage().contains("'alpha'") && e.getMessage().contains("min"), e.getMessage());
        e = assertThrows(Mi4jException.class, () -> ParameterSpace.fromConfig("beta", Map.of("type", "cubic")));
        assertTrue(e.getMessage().contains("'beta'"), e.getMessage());
    }

    @Test
    void fromConfigReadsAllKinds() {
        assertEquals(ParameterSpace.values(List.of("a", 2)), ParameterSpace.fromConfig("p", List.of("a", 2)));
        assertEquals(ParameterSpace.linear(0, 1, 3), ParameterSpace.fromConfig("p", Map.of("type", "linear", "min", 0, "max", 1, "count", 3)));
        assertEquals(ParameterSpace.log(1e-3, 1, 4), ParameterSpace.fromConfig("p", Map.of("type", "log", "min", 1e-3, "max", 1, "count", 4)));
        assertEquals(ParameterSpace.intRange(1, 9, 2), ParameterSpace.fromConfig("p", Map.of("type", "int", "min", 1, "max", 9, "step", 2)));
        assertEquals(List.of(1, 3, 5, 7, 9), ParameterSpace.intRange(1, 9, 2).gridValues());
        assertEquals(List.of(0, 4, 8), ParameterSpace.intRange(0, 10, 4).gridValues());
    }

    @Test
    void nd4jM21StillWorksBesideArbiterInThisJvm() {
        SweepSpec spec = new SweepSpec(spaces("a", ParameterSpace.linear(0, 1, 3)), Strategy.RANDOM, 5, 1);
        assertEquals(5, TrialGenerator.generate(spec, "").size());
        INDArray x = Nd4j.create(new float[] {1, 2, 3});
        assertEquals(6.0, x.sumNumber().doubleValue(), 1e-6);
        assertEquals(14.0, x.reshape(1, 3).mmul(x.reshape(3, 1)).getDouble(0), 1e-6, "1 + 4 + 9 through BLAS");
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            assertFalse(entry.contains("/org/nd4j/") && entry.contains("beta7"), "beta7 ND4J on the classpath: " + entry);
        }
    }
}
