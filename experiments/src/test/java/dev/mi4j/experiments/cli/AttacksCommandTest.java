package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AttacksCommandTest {

    @Test
    void listsEveryAttackWithItsParameters() {
        CliRun r = CliRun.of("attacks");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("mi-face (default): MI-Face"), r.out());
        for (String key : new String[] {"alpha", "beta", "gamma", "gammaMode", "lambda", "objective", "init", "seed", "process"}) {
            assertTrue(r.out().contains(key), key + " listed:\n" + r.out());
        }
    }

    @Test
    void jsonCarriesKindsDefaultsAndSweepability() throws Exception {
        CliRun r = CliRun.of("attacks", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode all = new ObjectMapper().readTree(r.out());
        JsonNode miFace = all.get(0);
        assertEquals("mi-face", miFace.get("name").asText());
        JsonNode alpha = miFace.get("parameters").get(0);
        assertEquals("alpha", alpha.get("key").asText());
        assertEquals("int", alpha.get("kind").asText());
        assertEquals(5000, alpha.get("default").asInt());
        assertTrue(alpha.get("sweepable").asBoolean());
    }

    @Test
    void attributeAttacksAreListedWithTheirFamily() throws Exception {
        CliRun r = CliRun.of("attacks");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("attribute-whitebox: white-box decision-tree estimator"), r.out());
        assertTrue(r.out().contains("[attribute inference]"), r.out());
        assertTrue(r.out().contains("attribute-prior: baseline"), r.out());
        JsonNode all = new ObjectMapper().readTree(CliRun.of("attacks", "--json").out());
        assertEquals("inversion", all.get(0).get("family").asText());
        boolean found = false;
        for (JsonNode a : all) {
            if (a.get("name").asText().equals("attribute-blackbox")) {
                assertEquals("attribute", a.get("family").asText());
                assertEquals("output", a.get("parameters").get(0).get("key").asText());
                found = true;
            }
        }
        assertTrue(found, all.toString());
    }

    @Test
    void invertRefusesAnUnknownAttackOrParameterInOneLine() {
        CliRun bad = CliRun.of("invert", "--model", "softmax", "--attack", "nope", "--out", "target/never");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--attack: unknown attack 'nope' (known: mi-face"), bad.err());
        CliRun key = CliRun.of("invert", "--model", "softmax", "-P", "lamda=1", "--out", "target/never");
        assertEquals(2, key.exitCode(), key.err());
        assertTrue(key.err().contains("--param lamda: not a parameter of attack mi-face"), key.err());
    }
}
