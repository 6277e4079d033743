package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.io.Sha256;
import dev.mi4j.experiments.audit.Risk;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mi4j train and mi4j audit on a table, end to end on the steak-and-risk survey (CCS 2015 Section 4):
 * a CART tree and a logistic regression trained by the command line, each audited for attribute
 * inference on its training records. The tree (grown deep, as ML services grow them) leaks: both the
 * black-box and the white-box estimators beat the prior on the training records, and the verdict's
 * levels follow the documented rule from its own recorded numbers; the logistic regression, which
 * barely fits its training records, does not. --fail-on, --query-budget and the refusals that write
 * nothing are checked too.
 */
class TabularAuditCommandTest {

    @TempDir
    static Path tmp;

    static Path tree;
    static Path logreg;

    @BeforeAll
    static void train() {
        CliRun t = CliRun.of("train", "--model", "cart", "--dataset", "steak-survey", "--out", tmp.resolve("models").toString(), "-q");
        assertEquals(0, t.exitCode(), t.err());
        tree = tmp.resolve("models").resolve("steak-survey-cart.json");
        assertTrue(Files.isRegularFile(tree), t.out());
        CliRun l = CliRun.of("train", "--model", "logreg", "--dataset", "steak-survey", "--epochs", "30", "--out",
                tmp.resolve("models").toString(), "-q");
        assertEquals(0, l.exitCode(), l.err());
        logreg = tmp.resolve("models").resolve("steak-survey-logreg.json");
    }

    private static JsonNode verdict(Path dir) throws Exception {
        return Json.mapper().readTree(dir.resolve("verdict.json").toFile());
    }

    @Test
    void aDeepTreeLeaksItsTrainingRecordsAndTheVerdictFollowsTheRule() throws Exception {
        String before = Sha256.of(tree);
        Path out = tmp.resolve("audit-tree");
        CliRun r = CliRun.of("audit", "--model", tree.toString(), "--dataset", "steak-survey", "--out", out.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("verdict: "), r.out());
        assertEquals(before, Sha256.of(tree), "the audited model is not modified");
        JsonNode v = verdict(out);
        assertEquals("attribute-inference", v.path("kind").asText());
        assertEquals("cheated", v.path("dataset").path("sensitive").asText());
        JsonNode t = v.path("thresholds");
        int judged = -1;
        boolean sawWhiteBox = false;
        for (JsonNode a : v.path("attacks")) {
            JsonNode j = a.path("judged");
            judged = j.path("n").asInt();
            if (a.path("attack").asText().equals("attribute-whitebox")) {
                sawWhiteBox = true;
            }
            // The level follows from the row's own numbers and the recorded thresholds.
            boolean sig = a.path("mcnemarP").asDouble() <= t.path("alpha").asDouble();
            double gain = a.path("gain").asDouble();
            double prec = j.path("precision").isNumber() ? j.path("precision").asDouble() : Double.NaN;
            boolean enough = j.path("tp").asInt() >= t.path("minExposed").asInt();
            Risk expected = sig && gain >= t.path("gainHigh").asDouble() || enough && prec >= t.path("precisionHigh").asDouble()
                    ? Risk.HIGH
                    : sig && gain >= t.path("gainMedium").asDouble() || enough && prec >= t.path("precisionMedium").asDouble()
                    ? Risk.MEDIUM : Risk.LOW;
            assertEquals(expected.name(), a.path("risk").asText(), a.toString());
            assertEquals(j.path("tp").asInt(), a.path("exposed").size());
            if (a.path("attack").asText().equals("attribute-prior")) {
                assertEquals(0.0, gain, 0);
                assertEquals(0, a.path("exposed").size(), "the prior names no one");
            }
        }
        assertTrue(sawWhiteBox, "a tree gets the white-box estimator");
        assertEquals(167, judged, "judged on the training records: half of each class of 332, seed 1");
        assertEquals(165, v.path("dataset").path("heldOut").asInt());
        // The deep tree memorises: the black-box estimator beats the prior on its training records, not on held-out ones.
        JsonNode bb = v.path("attacks").get(1);
        assertEquals("attribute-blackbox", bb.path("attack").asText());
        assertTrue(bb.path("gain").asDouble() > 0.02 && bb.path("mcnemarP").asDouble() < 0.05, bb.toString());
        assertTrue(bb.path("heldOutGain").asDouble() <= 0, bb.toString());
        assertEquals("HIGH", v.path("verdict").asText(), v.path("summary").asText());
        assertEquals(4, v.path("countermeasures").path("rows").size());
        assertTrue(Files.readString(out.resolve("report.html")).contains("data-risk=\"HIGH\""));

        // --fail-on high: the distinct exit code a release gate needs.
        CliRun gate = CliRun.of("audit", "--model", tree.toString(), "--dataset", "steak-survey", "--out",
                tmp.resolve("audit-gate").toString(), "--fail-on", "high", "-q");
        assertEquals(Main.EXIT_RISK, gate.exitCode(), gate.err());
    }

    @Test
    void aModelThatDoesNotFitItsTrainingRecordsRevealsNothing() throws Exception {
        Path out = tmp.resolve("audit-logreg");
        CliRun r = CliRun.of("audit", "--model", logreg.toString(), "--dataset", "steak-survey", "--out", out.toString(),
                "--query-budget", "1000", "-q");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode v = verdict(out);
        assertEquals("LOW", v.path("verdict").asText(), v.path("summary").asText());
        // No tree to read; the black-box runs (664 queries) within the budget and is recorded with it.
        assertTrue(v.path("skipped").toString().contains("reads a decision tree"), v.path("skipped").toString());
        assertEquals(1000, v.path("config").path("queryBudget").asLong());
        assertEquals(664, v.path("attacks").get(1).path("modelQueries").asLong());

        CliRun small = CliRun.of("audit", "--model", logreg.toString(), "--dataset", "steak-survey", "--out",
                tmp.resolve("audit-small").toString(), "--query-budget", "100", "-q");
        assertEquals(0, small.exitCode(), small.err());
        assertTrue(verdict(tmp.resolve("audit-small")).path("skipped").toString().contains("over --query-budget 100"));
    }

    @Test
    void refusalsWriteNothing() throws Exception {
        Path other = tmp.resolve("renamed.json");
        Files.writeString(other, Files.readString(tree).replace("\"name\" : \"smoke\"", "\"name\" : \"smoker\"")
                .replace("\"column\" : \"smoke\"", "\"column\" : \"smoker\""));
        Path truncated = tmp.resolve("truncated.json");
        String text = Files.readString(tree);
        Files.writeString(truncated, text.substring(0, text.length() / 3));
        String[][] cases = {
                {"--model", other.toString(), "--dataset", "steak-survey"},
                {"--model", truncated.toString(), "--dataset", "steak-survey"},
                {"--model", tree.toString(), "--dataset", "att-faces"},
                {"--model", tree.toString(), "--dataset", "steak-survey", "--resize"},
        };
        String[] expected = {"takes the columns", "is not valid JSON", "is a tabular model", "--resize is for image models"};
        for (int i = 0; i < cases.length; i++) {
            Path out = tmp.resolve("refused-" + i);
            String[] args = new String[cases[i].length + 3];
            args[0] = "audit";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            args[args.length - 2] = "--out";
            args[args.length - 1] = out.toString();
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r.err());
            assertEquals(1, r.errorLines().lines().count(), r.errorLines());
            assertTrue(r.errorLines().contains(expected[i]), r.errorLines());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", args));
        }
    }
}
