package dev.mi4j.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of fault cases: every bad input a user can hand mi4j (dataset files, configs, model
 * files), generated here in a temporary folder, goes through the real command line and must end
 * with exit code 2, exactly one {@code mi4j: error:} line that names the offending file, no stack
 * trace, no OutOfMemoryError, and nothing written outside the command's output folder.
 */
class BadInputCorpusTest {

    /**
     * The name a malicious zip entry tries to write outside the model's folder: one no other
     * program leaves lying around (a plain "x" in a shared /tmp made this check fail once).
     */
    private static final String ESCAPE = "mi4j-zip-escape-canary";


    /** Set by {@link Canary#readObject}: proof that Java deserialization ran on a model file. */
    static volatile boolean canaryDeserialized;

    @TempDir
    static Path shared;
    private static Path validModel;
    private static final Map<String, String> OUTCOMES = Collections.synchronizedMap(new LinkedHashMap<>());

    @TempDir
    Path tmp;

    /** What one case runs: the command line and the file name its error must mention. */
    record Invocation(List<String> args, String mustName) {
    }

    @FunctionalInterface
    interface Setup {
        Invocation prepare(Path dir) throws Exception;
    }

    record Case(String name, Setup setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void trainValidModel() {
        // Through the shared test model cache: trained once per build, reused after.
        CliRun r = CliRun.of("train", "--model", "softmax", "--quiet", "--out", shared.resolve("models").toString());
        assertEquals(0, r.exitCode(), r.err());
        validModel = shared.resolve("models").resolve("att-faces-softmax.zip");
        assertTrue(Files.isRegularFile(validModel));
    }

    @AfterAll
    static void writeTable() throws IOException {
        StringBuilder sb = new StringBuilder("| case | outcome |\n|---|---|\n");
        OUTCOMES.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        Path dir = Path.of("target", "reliability");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("fault-table.md"), sb.toString());
    }

    static Stream<Case> cases() {
        return Stream.of(
                // ---- dataset files (att_faces copy, one file replaced)
                dataset("dataset: truncated PGM", f -> {
                    byte[] b = Files.readAllBytes(f);
                    Files.write(f, Arrays.copyOf(b, b.length / 3));
                }),
                dataset("dataset: zero-length PGM", f -> Files.write(f, new byte[0])),
                dataset("dataset: PGM with wrong magic", f -> {
                    byte[] b = Files.readAllBytes(f);
                    b[0] = 'X';
                    b[1] = '9';
                    Files.write(f, b);
                }),
                dataset("dataset: PGM header 100000x100000", f ->
                        Files.write(f, ("P5\n100000 100000\n255\n" + "abcdefgh").getBytes(StandardCharsets.US_ASCII))),
                dataset("dataset: text file named .pgm", f -> Files.writeString(f, "hello, I am not an image\n")),
                dataset("dataset: zip file named .pgm", f -> {
                    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
                        z.putNextEntry(new ZipEntry("face.pgm"));
                        z.write(new byte[1000]);
                        z.closeEntry();
                    }
                }),
                dataset("dataset: directory named like an image", f -> {
                    Files.delete(f);
                    Files.createDirectories(f);
                }),
                // ---- experiment configs
                config("config: malformed YAML", "name: broken\ntargets: [ {architecture: softmax\nattack:\n  alpha: 3\n"),
                config("config: empty file", ""),
                config("config: wrong type (alpha: lots)", base("  alpha: lots\n")),
                config("config: wrong type (targets is a number)", "name: t\ntargets: 7\n"),
                config("config: unknown key (attack.alpah)", base("  alpah: 5\n")),
                config("config: negative alpha", base("  alpha: -5\n")),
                config("config: negative lambda", base("  lambda: -0.1\n")),
                config("config: missing dataset name", "name: t\ndataset:\n  path: /nowhere\ntargets:\n  - architecture: softmax\n"),
                config("config: YAML alias bomb", aliasBomb()),
                // ---- model files
                model("model: truncated zip", (dir, zip) -> {
                    byte[] b = Files.readAllBytes(validModel);
                    Files.write(zip, Arrays.copyOf(b, b.length / 2));
                    copySidecar(zip);
                }),
                model("model: not a zip (text)", (dir, zip) -> {
                    Files.writeString(zip, "this is not a model\n");
                    copySidecar(zip);
                }),
                model("model: zip entry ../../x", (dir, zip) -> {
                    rewriteModel(zip, Map.of("../../" + ESCAPE, "escaped".getBytes(StandardCharsets.UTF_8)), null);
                    copySidecar(zip);
                }),
                model("model: zip entry with absolute path", (dir, zip) -> {
                    rewriteModel(zip, Map.of(dir.resolve("abs-x").toString(), "escaped".getBytes(StandardCharsets.UTF_8)), null);
                    copySidecar(zip);
                }),
                model("model: garbage coefficients (random bytes)", (dir, zip) -> {
                    rewriteModel(zip, Map.of(), n -> {
                        byte[] b = new byte[n];
                        new Random(1).nextBytes(b);
                        return b;
                    });
                    copySidecar(zip);
                }),
                model("model: coefficients header claims 10^12 values", (dir, zip) -> {
                    byte[] huge = hugeCoefficients();
                    rewriteModel(zip, Map.of(), n -> huge);
                    copySidecar(zip);
                }),
                model("model: missing provenance sidecar", (dir, zip) -> Files.copy(validModel, zip)),
                model("model: malformed provenance sidecar", "model.provenance.json", (dir, zip) -> {
                    Files.copy(validModel, zip);
                    Files.writeString(dir.resolve("model.provenance.json"), "{ \"numClasses\": ");
                }),
                model("model: Java-serialized preprocessor.bin", (dir, zip) -> {
                    rewriteModel(zip, Map.of("preprocessor.bin", serialized(new Canary())), null);
                    copySidecar(zip);
                }),
                model("model: preprocessor.bin hidden from the zip directory", (dir, zip) -> {
                    // A local entry before the real zip: ZipFile (central directory) does not list it,
                    // ZipInputStream, which ModelSerializer uses, reads it first.
                    ByteArrayOutputStream hidden = new ByteArrayOutputStream();
                    try (ZipOutputStream z = new ZipOutputStream(hidden)) {
                        z.putNextEntry(new ZipEntry("preprocessor.bin"));
                        z.write(serialized(new Canary()));
                        z.closeEntry();
                    }
                    byte[] h = hidden.toByteArray();
                    int cut = indexOf(h, new byte[] {'P', 'K', 1, 2});
                    try (OutputStream out = Files.newOutputStream(zip)) {
                        out.write(h, 0, cut);
                        out.write(Files.readAllBytes(validModel));
                    }
                    copySidecar(zip);
                }),
                model("model: normalizer.bin entry", (dir, zip) -> {
                    rewriteModel(zip, Map.of("normalizer.bin", serialized(new Canary())), null);
                    copySidecar(zip);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void faultCaseEndsInOneLineUserError(Case c) throws Exception {
        Path out = tmp.resolve("out");
        Invocation inv = c.setup().prepare(tmp);
        List<String> args = new ArrayList<>(inv.args());
        canaryDeserialized = false;
        TreeSet<String> before = tree(tmp, out);
        CliRun r;
        try {
            r = CliRun.of(args.toArray(String[]::new));
        } catch (OutOfMemoryError e) {
            OUTCOMES.put(c.name(), "OutOfMemoryError");
            throw new AssertionError(c.name() + ": OutOfMemoryError", e);
        }
        String errors = r.errorLines().strip();
        OUTCOMES.put(c.name(), "exit " + r.exitCode() + ": " + errors);

        assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), c.name() + ": " + r.err());
        assertEquals(1, errors.lines().count(), "exactly one error line, got:\n" + r.err());
        assertTrue(errors.startsWith("mi4j: error: "), errors);
        assertTrue(errors.contains(inv.mustName()), "error should name '" + inv.mustName() + "': " + errors);
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
        assertFalse(r.err().contains("OutOfMemoryError"), r.err());
        assertFalse(canaryDeserialized, "a model file made mi4j run Java deserialization");
        assertEquals(before, tree(tmp, out), "files appeared or vanished outside the output folder");
        for (Path x : List.of(tmp.resolve("../../" + ESCAPE), Path.of("../../" + ESCAPE), Path.of(ESCAPE), tmp.resolve(ESCAPE),
                tmp.resolve("abs-x"), Path.of("/" + ESCAPE))) {
            assertFalse(Files.exists(x.normalize()), "zip entry escaped to " + x.normalize());
        }
    }

    // ---------------------------------------------------------------- case builders

    interface FileMutation {
        void apply(Path file) throws Exception;
    }

    interface ModelMaker {
        void make(Path dir, Path zip) throws Exception;
    }

    private static Case dataset(String name, FileMutation mutation) {
        return new Case(name, dir -> {
            Path root = CliErrorsTest.copyAtt(dir.resolve("att_faces"));
            Path victim = root.resolve("s3").resolve("4.pgm");
            mutation.apply(victim);
            return new Invocation(List.of("train", "--model", "softmax", "--quiet", "--data-path", root.toString(),
                    "--out", dir.resolve("out").toString()), "4.pgm");
        });
    }

    private static Case config(String name, String yaml) {
        return new Case(name, dir -> {
            Path f = dir.resolve("bad-config.yaml");
            Files.writeString(f, yaml);
            return new Invocation(List.of("reproduce", f.toString(), "--quick", "--quiet", "--out",
                    dir.resolve("out").toString()), "bad-config.yaml");
        });
    }

    private static Case model(String name, ModelMaker maker) {
        return model(name, "model.zip", maker);
    }

    private static Case model(String name, String mustName, ModelMaker maker) {
        return new Case(name, dir -> {
            Path zip = dir.resolve("model.zip");
            maker.make(dir, zip);
            return new Invocation(List.of("evaluate", zip.toString(), "--quiet"), mustName);
        });
    }

    /** A valid config with extra lines appended to its attack section. */
    private static String base(String attackLines) {
        return "name: t\ndataset:\n  name: att-faces\ntargets:\n  - architecture: softmax\nevaluator:\n  architecture: eval\n"
                + "attack:\n  name: mi-face\n" + attackLines;
    }

    /** "Billion laughs": nested aliases that expand exponentially if a parser lets them. */
    private static String aliasBomb() {
        StringBuilder sb = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ",").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        return "name: t\ntargets:\n  - architecture: softmax\ndescription: x\n" + sb;
    }

    private static void copySidecar(Path zip) throws IOException {
        Files.copy(dev.mi4j.core.model.ModelStore.provenancePath(validModel), dev.mi4j.core.model.ModelStore.provenancePath(zip));
    }

    /** Copies the valid model into {@code zip}, adding entries and optionally replacing coefficients.bin. */
    private static void rewriteModel(Path zip, Map<String, byte[]> extra,
                                     java.util.function.IntFunction<byte[]> coefficients) throws IOException {
        try (ZipFile in = new ZipFile(validModel.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                byte[] data = in.getInputStream(e).readAllBytes();
                if (coefficients != null && e.getName().equals("coefficients.bin")) {
                    data = coefficients.apply(data.length);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    /** An ND4J array header (the layout Nd4j.write produces) that declares 10^12 floats, then a few bytes. */
    private static byte[] hugeCoefficients() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            long n = 1_000_000_000_000L;
            d.writeUTF("MIXED_DATA_TYPES");
            d.writeLong(8);
            d.writeUTF("LONG");
            for (long v : new long[] {2, 1, n, n, 1, 8192, 1, 99}) {
                d.writeLong(v);
            }
            d.writeUTF("MIXED_DATA_TYPES");
            d.writeLong(n);
            d.writeUTF("FLOAT");
            d.write(new byte[64]);
        }
        return bytes.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("signature not found");
    }

    private static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    /** Relative paths of every file and folder under root, except those under {@code excluded}. */
    private static TreeSet<String> tree(Path root, Path excluded) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.startsWith(excluded)).map(p -> root.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** A harmless gadget: if anything deserializes it, the test knows. */
    static final class Canary implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            canaryDeserialized = true;
        }
    }
}
