package dev.mi4j.defenses.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.train.GradientHook;
import dev.mi4j.core.train.MinibatchStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec grammar and parameter validation, on a probe defense declared here. */
class DefenseSpecTest {

    private record Probe(Map<String, Object> parameters) implements TrainingDefense {
        @Override
        public String name() {
            return "probe";
        }

        @Override
        public GradientHook newHook() {
            return MinibatchStep::batchGradient;
        }
    }

    private static final DefenseType PROBE = new DefenseType("probe", "test only", List.of(
            DefenseParam.required("rate", "inclusion rate", "in (0, 1]", v -> v > 0 && v <= 1),
            DefenseParam.optional("scale", "multiplier", 1.0, "> 0", v -> v > 0),
            DefenseParam.optional("sigma", "noise", null, ">= 0", v -> v >= 0),
            DefenseParam.choice("mode", "how", "fast", "fast", "slow")), "rate",
            p -> new Probe(p.asMap()));

    private static final List<DefenseType> TYPES = List.of(PROBE);

    private static String message(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> TrainingDefenses.parse(spec, TYPES)).getMessage();
    }

    @Test
    void parsesKeysPositionalValuesDefaultsAndChoices() {
        TrainingDefense d = TrainingDefenses.parse("probe:rate=0.5,mode=SLOW", TYPES);
        assertEquals(Map.of("rate", 0.5, "scale", 1.0, "mode", "slow"), d.parameters());
        assertEquals(List.of("rate", "scale", "mode"), List.copyOf(d.parameters().keySet()), "declaration order");
        assertEquals(d.parameters(), TrainingDefenses.parse(" Probe : 0.5 , mode = slow ", TYPES).parameters());
        assertEquals("probe:rate=0.5,scale=1.0,mode=slow", d.spec());
        assertEquals(d.parameters(), TrainingDefenses.parse(d.spec(), TYPES).parameters(), "spec reads back");
        assertEquals(0.25, TrainingDefenses.parse("probe:0.25,sigma=2", TYPES).parameters().get("rate"));
        assertEquals(2.0, TrainingDefenses.parse("probe:0.25,sigma=2", TYPES).parameters().get("sigma"));
        assertEquals(Map.of("name", "probe", "parameters", d.parameters()), d.describe());
        assertEquals(Map.of("name", "probe", "parameters", d.parameters(), "epsilon", 3.0),
                d.record(Map.of("epsilon", 3.0)));
    }

    @Test
    void refusesWithOneLineNamingWhatIsWrong() {
        String m = message("nope:1");
        assertTrue(m.startsWith("defense: unknown name 'nope'") && m.contains("probe:rate=<in (0, 1]>"), m);
        m = message("probe:rate=0.5,foo=1,bar=2");
        assertTrue(m.contains("unknown parameters foo, bar") && m.contains("probe takes rate, scale, sigma, mode"), m);
        m = message("probe:rate=0");
        assertTrue(m.contains("probe rate: must be in (0, 1], got 0.0"), m);
        m = message("probe:rate=abc");
        assertTrue(m.contains("probe rate: must be a number, got 'abc'"), m);
        m = message("probe:scale=2");
        assertTrue(m.contains("probe rate: required"), m);
        m = message("probe:rate=0.5,mode=medium");
        assertTrue(m.contains("probe mode: must be one of fast|slow"), m);
        m = message("probe:rate=0.5,rate=0.6");
        assertTrue(m.contains("rate given twice"), m);
        m = message("probe:rate=0.5,0.7");
        assertTrue(m.contains("expected key=value at '0.7'"), m);
        m = message("probe:rate=");
        assertTrue(m.contains("rate has no value"), m);
        m = message("probe:rate=NaN");
        assertTrue(m.contains("probe rate: must be in (0, 1]"), m);
        m = message(" ");
        assertTrue(m.startsWith("defense: empty spec"), m);
        for (String bad : new String[] {"nope:1", "probe:rate=0.5,foo=1", "probe:rate=abc"}) {
            assertFalse(message(bad).contains("\n"), "one line");
        }
    }

    @Test
    void registryKnowsNoneAsNoDefense() {
        assertTrue(TrainingDefenses.parseOptional("none").isEmpty());
        assertTrue(TrainingDefenses.parseOptional(null).isEmpty());
        assertTrue(TrainingDefenses.parseOptional(" ").isEmpty());
    }
}
