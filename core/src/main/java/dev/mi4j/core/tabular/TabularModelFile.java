package dev.mi4j.core.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.io.Sha256;
import dev.mi4j.core.model.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A tabular model on disk, readable without Java deserialisation: one JSON file
 * ({@value #FORMAT}, version {@value #VERSION}) with the columns a record has, the classes, and
 * either the decision tree itself (splits in column terms, leaves with their released scores and
 * training counts: what CCS 2015's white-box attacker reads) or the name and SHA-256 of a DL4J
 * network zip beside it (logistic regression, MLP: weights only, no updater). Also the records the
 * model was trained on ({@code split}: the member fraction and seed of {@link dev.mi4j.core.tabular
 * .TabularData}'s stratified split, so that an audit can tell the training records from the others)
 * and the {@link TabularProvenance}.
 *
 * <pre>
 * {"format": "mi4j-tabular-model", "version": 1, "model": "cart",
 *  "schema": [{"name": "smoke", "kind": "categorical", "encoding": "one_hot", "categories": ["No", "Yes"]}, ...],
 *  "classes": ["Rare", ...],
 *  "tree": {"column": "age", "in": ["18-29"], "true": {...}, "false": {"leaf": {"predicted": 1, "scores": [...], "counts": [...]}}},
 *  "split": {"members": 0.5, "seed": 1}, "provenance": {...}}
 * </pre>
 * A numeric split is {@code {"column": c, "atMost": t, ...}}. A network file has
 * {@code "network": {"file": "x.zip", "sha256": "...", "kind": "mlp", "hidden": 64}} instead of a tree.
 * Every problem in a file is one line naming the file and the field.
 */
public final class TabularModelFile {

    public static final String FORMAT = "mi4j-tabular-model";
    public static final int VERSION = 1;
    private static final Set<String> NETWORK_ENTRIES = Set.of("configuration.json", "coefficients.bin", "noParams.marker");

    /**
     * Which records the model was trained on: the members of {@code TabularSplit.of(data, members, seed)}.
     *
     * @param members fraction of the records trained on
     * @param seed    the split's seed
     */
    public record Split(double members, long seed) {
    }

    /**
     * A model read from a file.
     *
     * @param model      the classifier (a {@link DecisionTree} for a tree)
     * @param kind       "cart", "logreg" or "mlp"
     * @param split      the training records, or null when the file does not say
     * @param provenance the file's provenance object (may be empty)
     * @param sha256     SHA-256 of the JSON file
     */
    public record Loaded(TabularClassifier model, String kind, Split split, JsonNode provenance, String sha256) {
    }

    private TabularModelFile() {
    }

    /** Whether {@code file} looks like one of these (a JSON object whose format is {@value #FORMAT}). */
    public static boolean is(Path file) {
        try {
            byte[] head = new byte[4096];
            int n;
            try (var in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
            String s = new String(head, 0, n, StandardCharsets.UTF_8).stripLeading();
            return s.startsWith("{") && s.contains("\"" + FORMAT + "\"");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes {@code model} to {@code json} (a tree inline; a network to {@code <stem>.zip} beside it),
     * each file atomically.
     */
    public static void write(Path json, TabularClassifier model, Split split, TabularProvenance provenance) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode cols = root.putArray("schema");
        for (TabularColumn c : model.schema().columns()) {
            ObjectNode o = cols.addObject();
            o.put("name", c.name());
            o.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
            o.put("encoding", c.encoding().name().toLowerCase(Locale.ROOT));
            if (c.categorical()) {
                c.categories().forEach(o.withArray("categories")::add);
            }
        }
        model.classes().forEach(root.putArray("classes")::add);
        if (model instanceof DecisionTree t) {
            root.put("model", "cart");
            root.set("tree", node(t.root(), model.schema()));
        } else if (model instanceof TabularNetwork n) {
            root.put("model", n.kind().id());
            String name = stem(json) + ".zip";
            Path zip = json.resolveSibling(name);
            AtomicFiles.writeVia(zip, tmp -> ModelSerializer.writeModel(n.network(), tmp.toFile(), false));
            ObjectNode net = root.putObject("network");
            net.put("file", name);
            net.put("sha256", Sha256.of(zip));
            net.put("kind", n.kind().id());
            Object hidden = n.architecture().get("hidden");
            if (hidden != null) {
                net.put("hidden", (Integer) hidden);
            }
        } else {
            throw new IllegalArgumentException("model: cannot write a " + model.getClass().getSimpleName()
                    + " (a decision tree or a TabularNetwork)");
        }
        if (split != null) {
            ObjectNode s = root.putObject("split");
            s.put("members", split.members());
            s.put("seed", split.seed());
        }
        root.set("provenance", provenance == null ? Json.mapper().createObjectNode() : Json.mapper().valueToTree(provenance));
        try {
            AtomicFiles.writeString(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new Mi4jException("cannot write " + json + ": " + e.getMessage(), e);
        }
    }

    /** Reads a model file; one line naming the file and the field on any problem. */
    public static Loaded read(Path json) {
        if (!Files.isRegularFile(json)) {
            throw new Mi4jException("model file " + json + " does not exist");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new Mi4jException("model file " + json + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        Fields f = new Fields(json);
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new Mi4jException("model file " + json + ": field format: expected \"" + FORMAT + "\"");
        }
        if (root.path("version").asInt(-1) != VERSION) {
            throw new Mi4jException("model file " + json + ": field version: expected " + VERSION + ", got " + root.get("version"));
        }
        TabularSchema schema = schema(f, f.array(root, "schema"));
        List<String> classes = new ArrayList<>();
        f.array(root, "classes").forEach(c -> classes.add(c.asText()));
        if (classes.size() < 2 || new LinkedHashSet<>(classes).size() != classes.size()) {
            throw f.bad("classes", "expected at least 2 distinct class names, got " + classes);
        }
        String kind = f.text(root, "model");
        TabularClassifier model;
        if (kind.equals("cart")) {
            model = new StoredTree(schema, classes, tree(f, f.object(root, "tree"), "tree", schema, classes.size()));
        } else if (kind.equals("logreg") || kind.equals("mlp")) {
            model = network(f, f.object(root, "network"), schema, classes, kind);
        } else {
            throw f.bad("model", "expected cart, logreg or mlp, got '" + kind + "'");
        }
        Split split = null;
        if (root.has("split")) {
            JsonNode s = f.object(root, "split");
            double members = f.number(s, "split.members", "members");
            if (!(members > 0 && members < 1)) {
                throw f.bad("split.members", "expected a fraction in (0, 1), got " + members);
            }
            split = new Split(members, (long) f.number(s, "split.seed", "seed"));
        }
        return new Loaded(model, kind, split, root.path("provenance"), Sha256.of(json));
    }

    // ------------------------------------------------------------------ schema

    private static TabularSchema schema(Fields f, JsonNode cols) {
        List<TabularColumn> out = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            String at = "schema[" + i + "]";
            JsonNode c = cols.get(i);
            String name = f.text(c, at + ".name", "name");
            try {
                TabularColumn.Kind kind = TabularColumn.Kind.valueOf(f.text(c, at + ".kind", "kind").toUpperCase(Locale.ROOT));
                TabularColumn.Encoding enc = TabularColumn.Encoding.valueOf(f.text(c, at + ".encoding", "encoding").toUpperCase(Locale.ROOT));
                List<String> cats = new ArrayList<>();
                c.path("categories").forEach(x -> cats.add(x.asText()));
                out.add(new TabularColumn(name, kind, cats, enc));
            } catch (IllegalArgumentException e) {
                throw f.bad(at, e.getMessage());
            }
        }
        try {
            return new TabularSchema(out);
        } catch (IllegalArgumentException e) {
            throw f.bad("schema", e.getMessage());
        }
    }

    // ------------------------------------------------------------------ trees

    private static ObjectNode node(TreeNode n, TabularSchema schema) {
        ObjectNode o = Json.mapper().createObjectNode();
        if (n instanceof TreeNode.Leaf l) {
            ObjectNode leaf = o.putObject("leaf");
            leaf.put("predicted", l.predicted());
            for (double s : l.scores()) {
                leaf.withArray("scores").add(s);
            }
            for (int c : l.counts()) {
                leaf.withArray("counts").add(c);
            }
            return o;
        }
        TreeNode.Split s = (TreeNode.Split) n;
        TabularColumn c = schema.column(s.column());
        o.put("column", c.name());
        if (s.test() instanceof TreeNode.InCategories in) {
            in.categories().stream().sorted().map(c.categories()::get).forEach(o.withArray("in")::add);
        } else {
            o.put("atMost", ((TreeNode.AtMost) s.test()).threshold());
        }
        o.set("true", node(s.whenTrue(), schema));
        o.set("false", node(s.whenFalse(), schema));
        return o;
    }

    /** Deepest tree read (CART trees of the studies are at most a few dozen levels deep). */
    private static final int MAX_DEPTH = 256;

    private static TreeNode tree(Fields f, JsonNode o, String at, TabularSchema schema, int classes) {
        return tree(f, o, at, schema, classes, 0);
    }

    private static TreeNode tree(Fields f, JsonNode o, String at, TabularSchema schema, int classes, int depth) {
        if (depth > MAX_DEPTH) {
            throw f.bad("tree", "deeper than " + MAX_DEPTH + " levels");
        }
        if (o.has("leaf")) {
            JsonNode l = f.object(o, at + ".leaf", "leaf");
            int predicted = (int) f.number(l, at + ".leaf.predicted", "predicted");
            double[] scores = new double[classes];
            int[] counts = new int[classes];
            JsonNode s = f.array(l, at + ".leaf.scores", "scores");
            JsonNode c = f.array(l, at + ".leaf.counts", "counts");
            if (s.size() != classes || c.size() != classes || predicted < 0 || predicted >= classes) {
                throw f.bad(at + ".leaf", "expected " + classes + " scores, " + classes + " counts and a predicted class in [0, "
                        + classes + ")");
            }
            for (int k = 0; k < classes; k++) {
                scores[k] = s.get(k).asDouble();
                counts[k] = c.get(k).asInt();
                if (!Double.isFinite(scores[k]) || counts[k] < 0) {
                    throw f.bad(at + ".leaf", "scores must be finite and counts >= 0");
                }
            }
            return new TreeNode.Leaf(predicted, scores, counts);
        }
        String name = f.text(o, at + ".column", "column");
        int column;
        try {
            column = schema.index(name);
        } catch (IllegalArgumentException e) {
            throw f.bad(at + ".column", "no column '" + name + "' in the schema");
        }
        TabularColumn col = schema.column(column);
        TreeNode.Test test;
        if (o.has("in")) {
            if (!col.categorical()) {
                throw f.bad(at + ".in", "column " + name + " is numeric: use atMost");
            }
            Set<Integer> in = new LinkedHashSet<>();
            for (JsonNode v : f.array(o, at + ".in", "in")) {
                int k = col.indexOf(v.asText());
                if (k < 0) {
                    throw f.bad(at + ".in", "'" + v.asText() + "' is not a category of " + name);
                }
                in.add(k);
            }
            test = new TreeNode.InCategories(in);
        } else {
            double t = f.number(o, at + ".atMost", "atMost");
            test = new TreeNode.AtMost(t);
        }
        return new TreeNode.Split(column, test,
                tree(f, f.object(o, at + ".true", "true"), at + ".true", schema, classes, depth + 1),
                tree(f, f.object(o, at + ".false", "false"), at + ".false", schema, classes, depth + 1));
    }

    // ------------------------------------------------------------------ networks

    private static TabularNetwork network(Fields f, JsonNode n, TabularSchema schema, List<String> classes, String kind) {
        String name = f.text(n, "network.file", "file");
        Path zip = f.file.resolveSibling(name);
        if (name.contains("/") || name.contains("\\") || !Files.isRegularFile(zip)) {
            throw f.bad("network.file", "expected the name of a zip beside the file, got '" + name + "'"
                    + (Files.isRegularFile(zip) ? "" : " (not found)"));
        }
        String sha = f.text(n, "network.sha256", "sha256");
        if (!sha.equalsIgnoreCase(Sha256.of(zip))) {
            throw f.bad("network.sha256", zip + " is not the network this file was written with (SHA-256 differs)");
        }
        ModelStore.checkZip(zip, NETWORK_ENTRIES, "a tabular network holds only " + NETWORK_ENTRIES);
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new Mi4jException("model file " + zip + " is not a readable DL4J network: " + e.getMessage(), e);
        }
        TabularNetwork.Kind k = kind.equals("mlp") ? TabularNetwork.Kind.MLP : TabularNetwork.Kind.LOGREG;
        int hidden = n.path("hidden").asInt(0);
        long outputs = net.getLayer(net.getnLayers() - 1).getParam("b").length();
        if (outputs != classes.size()) {
            throw f.bad("classes", classes.size() + " classes but the network " + zip + " has " + outputs + " outputs");
        }
        try {
            return new TabularNetwork(net, new TabularEncoding(schema), classes, k, hidden);
        } catch (IllegalArgumentException e) {
            throw f.bad("schema", "does not fit the network " + zip + ": " + e.getMessage());
        }
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
    }

    /** Field readers that name the file and the field. */
    private record Fields(Path file) {

        Mi4jException bad(String field, String what) {
            return new Mi4jException("model file " + file + ": field " + field + ": " + what);
        }

        JsonNode get(JsonNode o, String at, String key) {
            JsonNode v = o == null ? null : o.get(key);
            if (v == null || v.isNull()) {
                throw bad(at, "missing");
            }
            return v;
        }

        String text(JsonNode o, String key) {
            return text(o, key, key);
        }

        String text(JsonNode o, String at, String key) {
            JsonNode v = get(o, at, key);
            if (!v.isTextual()) {
                throw bad(at, "expected a string, got " + v);
            }
            return v.asText();
        }

        double number(JsonNode o, String at, String key) {
            JsonNode v = get(o, at, key);
            if (!v.isNumber()) {
                throw bad(at, "expected a number, got " + v);
            }
            return v.asDouble();
        }

        JsonNode array(JsonNode o, String key) {
            return array(o, key, key);
        }

        JsonNode array(JsonNode o, String at, String key) {
            JsonNode v = get(o, at, key);
            if (!v.isArray()) {
                throw bad(at, "expected a list");
            }
            return v;
        }

        JsonNode object(JsonNode o, String key) {
            return object(o, key, key);
        }

        JsonNode object(JsonNode o, String at, String key) {
            JsonNode v = get(o, at, key);
            if (!v.isObject()) {
                throw bad(at, "expected an object");
            }
            return v;
        }
    }
}
