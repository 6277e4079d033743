package dev.mi4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    record Sample(double finite, double nan, Double boxedInf, float negInf, Integer missing) {
    }

    @TempDir
    Path dir;

    @Test
    void nonFiniteNumbersAreWrittenAsNullAndReadBackAsNaN() {
        Sample s = new Sample(0.5, Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, null);
        String json = Json.toJson(s);
        assertTrue(json.contains("\"finite\" : 0.5"), json);
        assertTrue(json.contains("\"nan\" : null"), json);
        assertTrue(json.contains("\"boxedInf\" : null"), json);
        assertTrue(json.contains("\"negInf\" : null"), json);
        Sample back = Json.fromJson(json, Sample.class);
        assertEquals(0.5, back.finite());
        assertTrue(Double.isNaN(back.nan()));
        assertTrue(Double.isNaN(back.boxedInf()));
        assertEquals(null, back.missing());
    }

    @Test
    void writesAtomicallyAndReads() {
        Path file = dir.resolve("a/metrics.json");
        Json.write(file, new Sample(1, 2, 3.0, 4f, 5));
        assertEquals(new Sample(1, 2, 3.0, 4f, 5), Json.read(file, Sample.class));
        assertThrows(Mi4jException.class, () -> Json.fromJson("{oops", Sample.class));
    }
}
