package dev.mi4j.core.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.testing.SyntheticTables;
import dev.mi4j.core.train.TrainingConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tabular model files: a tree and a network read back predict exactly what was written, with the
 * tree's structure and counts intact; a damaged or foreign file is one line naming the file and field.
 */
class TabularModelFileTest {

    private static final TabularData DATA = SyntheticTables.mixed(300, 3);
    private static final TabularData FRESH = SyntheticTables.mixed(200, 99);

    @TempDir
    Path tmp;

    private static void assertSamePredictions(TabularClassifier a, TabularClassifier b) {
        double[][] pa = a.predict(FRESH.records()).toDoubleMatrix();
        double[][] pb = b.predict(FRESH.records()).toDoubleMatrix();
        for (int i = 0; i < pa.length; i++) {
            assertArrayEquals(pa[i], pb[i], 0.0, "record " + i);
        }
    }

    @Test
    void treeRoundTripsWithItsCountsAndPredictions() {
        CartTree tree = CartTree.train(DATA, CartTree.Config.defaults(6, 1));
        Path f = tmp.resolve("t.json");
        TabularModelFile.write(f, tree, new TabularModelFile.Split(0.5, 7), null);
        assertTrue(TabularModelFile.is(f));
        TabularModelFile.Loaded back = TabularModelFile.read(f);
        assertEquals("cart", back.kind());
        assertEquals(new TabularModelFile.Split(0.5, 7), back.split());
        DecisionTree t = assertInstanceOf(DecisionTree.class, back.model());
        assertEquals(DATA.schema(), t.schema());
        assertEquals(tree.classes(), t.classes());
        assertSamePredictions(tree, t);
        // The white-box view: every record reaches a leaf with the same counts (numeric, ordinal and nominal splits).
        for (int i = 0; i < FRESH.size(); i++) {
            assertArrayEquals(tree.leaf(FRESH.record(i)).counts(), t.leaf(FRESH.record(i)).counts(), "record " + i);
        }
        assertEquals(FRESH.size(), t.queryCount());
    }

    @Test
    void networkRoundTripsThroughItsZip() {
        TabularNetwork net = TabularNetwork.train(TabularNetwork.Kind.MLP, 8, DATA,
                new TrainingConfig(5, 32, 0.05, 0, 0, 1, 1, TrainingConfig.Optimizer.ADAM), null).network();
        Path f = tmp.resolve("n.json");
        TabularModelFile.write(f, net, null, null);
        assertTrue(Files.isRegularFile(tmp.resolve("n.zip")));
        TabularModelFile.Loaded back = TabularModelFile.read(f);
        assertEquals("mlp", back.kind());
        assertEquals(null, back.split());
        assertSamePredictions(net, back.model());
    }

    private Path treeFile() {
        Path f = tmp.resolve("t.json");
        TabularModelFile.write(f, CartTree.train(DATA, CartTree.Config.defaults(3, 1)), null, null);
        return f;
    }

    private String refusal(Path f) {
        return assertThrows(Mi4jException.class, () -> TabularModelFile.read(f)).getMessage();
    }

    @Test
    void refusalsNameTheFileAndTheField() throws Exception {
        Path f = treeFile();
        String json = Files.readString(f);

        Files.writeString(f, json.substring(0, json.length() / 2), StandardCharsets.UTF_8);
        String m = refusal(f);
        assertTrue(m.startsWith("model file " + f + " is not valid JSON"), m);

        Files.writeString(f, json.replaceFirst("\"column\" : \"(\\w+)\"", "\"column\" : \"height\""));
        m = refusal(f);
        assertTrue(m.contains(f.toString()) && m.contains("field tree.column: no column 'height'"), m);

        Files.writeString(f, json.replace("\"version\" : 1", "\"version\" : 2"));
        assertTrue(refusal(f).contains("field version: expected 1"));

        Files.writeString(f, json.replaceFirst("\"model\" : \"cart\"", "\"model\" : \"forest\""));
        assertTrue(refusal(f).contains("field model: expected cart, logreg or mlp"));

        Files.writeString(f, json.replaceFirst("\"counts\" : \\[ [0-9]+,", "\"counts\" : [ "));
        assertTrue(refusal(f).contains("field tree."), refusal(f));

        Files.writeString(f, "{\"format\": \"something-else\"}");
        assertFalse(TabularModelFile.is(f));
        assertTrue(refusal(f).contains("field format"));
    }

    @Test
    void aNetworkZipThatIsNotTheOneWrittenIsRefused() throws Exception {
        TabularNetwork net = TabularNetwork.train(TabularNetwork.Kind.LOGREG, 0, DATA,
                new TrainingConfig(2, 32, 0.05, 0, 0, 1, 1, TrainingConfig.Optimizer.ADAM), null).network();
        Path f = tmp.resolve("n.json");
        TabularModelFile.write(f, net, null, null);
        Files.write(tmp.resolve("n.zip"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertTrue(refusal(f).contains("field network.sha256"));
    }
}
