package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** mi4j datasets shows each dataset's default input and split, in text and in JSON. */
class DatasetsCommandTest {

    @Test
    void textListsDefaultInputAndSplit() {
        CliRun r = CliRun.of("datasets", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        String header = r.out().lines().findFirst().orElseThrow();
        assertTrue(header.contains("default input") && header.contains("default split"), header);
        String att = line(r.out(), "att-faces");
        assertTrue(att.contains("grey 92x112 (native)") && att.contains("7 per identity, seed 42"), att);
        String lfw = line(r.out(), "lfw-min70");
        assertTrue(lfw.contains("RGB 64x64 (from 250x250)") && lfw.contains("0.7 of each identity, seed 42"), lfw);
        String yale = line(r.out(), "yale");
        assertTrue(yale.contains("grey 80x60 (from 320x243)") && yale.contains("0.7 of each identity, seed 42"), yale);
    }

    @Test
    void jsonHasTheDefaultsAsFields() throws Exception {
        CliRun r = CliRun.of("datasets", "--json", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode all = new ObjectMapper().readTree(r.out());
        assertEquals(3, all.size());
        JsonNode att = all.get(0);
        assertEquals("att-faces", att.get("name").asText());
        assertEquals(7, att.get("defaultSplit").get("trainPerIdentity").asInt());
        assertTrue(att.get("defaultSplit").get("trainFraction").isNull());
        assertEquals(42, att.get("defaultSplit").get("seed").asLong());
        assertEquals(att.get("nativeShape"), att.get("defaultShape"));
        assertEquals(112, att.get("defaultShape").get("height").asInt());
        JsonNode lfw = all.get(1);
        assertEquals("lfw-min70", lfw.get("name").asText());
        assertEquals(0.7, lfw.get("defaultSplit").get("trainFraction").asDouble());
        assertTrue(lfw.get("defaultSplit").get("trainPerIdentity").isNull());
        assertEquals(3, lfw.get("defaultShape").get("channels").asInt());
        assertEquals(64, lfw.get("defaultShape").get("width").asInt());
        assertEquals(250, lfw.get("nativeShape").get("width").asInt());
        JsonNode yale = all.get(2);
        assertEquals(60, yale.get("defaultShape").get("height").asInt());
        assertEquals(80, yale.get("defaultShape").get("width").asInt());
    }

    private static String line(String out, String dataset) {
        return out.lines().filter(l -> l.startsWith(dataset + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + dataset + " in:\n" + out));
    }
}
