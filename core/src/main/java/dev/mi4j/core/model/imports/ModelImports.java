package dev.mi4j.core.model.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.TargetModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a classifier trained elsewhere: a Keras {@code .h5} (Sequential or Functional, through
 * DL4J's KerasModelImport), an ONNX file (converted by mi4j's own {@link OnnxConverter}: SameDiff's
 * ONNX import in 1.0.0-M2.1 gives wrong outputs and graphs that cannot be differentiated), or a
 * DL4J zip (MultiLayerNetwork or ComputationGraph, from mi4j or anywhere else). The format is
 * recognised from the file's content (HDF5 signature, zip signature, else an ONNX protobuf), not
 * its name.
 *
 * <p>The input is declared by the user ({@link InputSpec}: shape, scale, mean, std) and recorded
 * in the provenance; it is checked against the shape the file declares (Keras
 * {@code batch_input_shape}, ONNX input dims, a mi4j model's provenance) and by running one image
 * through the network. Imported files are never modified and never Java-deserialised: a DL4J zip
 * passes the allow-list check of {@link ModelStore} first (its {@code normalizer.bin}, if any, is
 * never read), Keras files are read by the HDF5 library only after their superblock says the file
 * is complete.
 */
public final class ModelImports {

    /** HDF5 format signature (Keras .h5 files start with it). */
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** What a DL4J zip may hold: ModelSerializer's entries; normalizer.bin is allowed but never read. */
    private static final Set<String> DL4J_ENTRIES = Set.of("configuration.json", "coefficients.bin", "noParams.marker",
            "updaterState.bin", "normalizer.bin");

    private ModelImports() {
    }

    /**
     * Imports a model.
     *
     * @param file the model file: Keras .h5, ONNX, or DL4J zip
     * @param spec the declared input; null to take the shape from the file (Keras, ONNX with fixed
     *             image dimensions, a mi4j zip with its provenance) with no preprocessing
     * @return the network with its input, class count and provenance
     * @throws Mi4jException one line naming the file and the problem: missing, truncated, not a
     *                       model, an unsupported layer or operator, an input shape that does not fit
     */
    public static ImportedModel load(Path file, InputSpec spec) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new Mi4jException("model file " + file + " does not exist");
        }
        byte[] head = head(file);
        String sha = sha256(file);
        List<String> notes = new ArrayList<>();
        Loaded loaded;
        if (startsWith(head, HDF5_MAGIC)) {
            loaded = keras(file, spec, notes);
        } else if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
            loaded = dl4jZip(file, spec, notes);
        } else if (head.length > 0 && (head[0] == 0x08 || file.getFileName().toString().toLowerCase(Locale.ROOT)
                .endsWith(".onnx"))) {
            loaded = onnx(file, spec, notes);
        } else {
            throw new Mi4jException("model file " + file + " is neither a Keras .h5 (HDF5), an ONNX model nor a DL4J zip"
                    + " (its first bytes are " + HexFormat.ofDelimiter(" ").formatHex(head) + ")");
        }
        InputSpec input = loaded.input();
        // One image through the network: the shape fits, and the classifier view can be built.
        ImportedClassifier view;
        try {
            view = ImportedModel.view(loaded.network(), input, file.toString());
            view.predict(Nd4j.zeros(view.network().model().params().dataType(), input.shape().batchShape(1)));
        } catch (Mi4jException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Mi4jException("input shape " + input.shape() + " does not fit model file " + file + ": "
                    + ImportedModel.firstLine(e.getMessage()), e);
        }
        if (NetworkAnatomy.output(loaded.network(), file.toString()) == NetworkAnatomy.Output.LOGITS
                && notes.stream().noneMatch(n -> n.contains("logits"))) {
            notes.add("the model outputs logits (no softmax at its end): the classifier view applies the softmax");
        }
        if (NetworkAnatomy.channelsLast(loaded.network())) {
            notes.add("the network takes channels-last (NHWC) images: the classifier view permutes mi4j's NCHW images");
        }
        NetworkClassifier net = view.network();
        notes.add("input gradients: the " + net.gradientPath().id() + " engine"
                + (net.gradientPath() == dev.mi4j.core.model.GradientPath.FAST ? " (mi4j's own backprop)"
                : " (DL4J's own layer backprop, inference mode)"));
        ImportProvenance prov = new ImportProvenance(loaded.format(), file.toString(), sha, loaded.producer(), input, notes);
        return new ImportedModel(loaded.network(), input, net.numClasses(), prov);
    }

    /** As {@link #load(Path, InputSpec)}, then its white-box view: the common case. */
    public static DifferentiableClassifier classifier(Path file, InputSpec spec) {
        return load(file, spec).classifier();
    }

    private record Loaded(Model network, InputSpec input, String format, String producer) {
    }

    // ------------------------------------------------------------------ Keras

    private static Loaded keras(Path file, InputSpec spec, List<String> notes) {
        checkHdf5Complete(file);
        String config;
        String producer;
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            if (!archive.hasAttribute("model_config")) {
                throw new Mi4jException("model file " + file + " is an HDF5 file without a Keras model_config attribute"
                        + " (weights only? save the whole model with model.save(\"x.h5\"))");
            }
            config = archive.readAttributeAsJson("model_config");
            String version = archive.hasAttribute("keras_version") ? archive.readAttributeAsString("keras_version") : "?";
            String backend = archive.hasAttribute("backend") ? archive.readAttributeAsString("backend") : "?";
            producer = "keras " + version.trim() + " (" + backend.trim() + ")";
            if (archive.hasAttribute("training_config")) {
                notes.add("the file's training_config (loss, optimizer) is ignored");
            }
        } catch (Mi4jException e) {
            throw e;
        } catch (UnsupportedKerasConfigurationException | RuntimeException e) {
            throw new Mi4jException("model file " + file + " cannot be read as a Keras model: "
                    + ImportedModel.firstLine(e.getMessage()), e);
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(config);
        } catch (IOException e) {
            throw new Mi4jException("model file " + file + ": its model_config is not valid JSON", e);
        }
        String kind = root.path("class_name").asText();
        boolean sequential = kind.equals("Sequential");
        if (!sequential && !kind.equals("Model") && !kind.equals("Functional")) {
            throw new Mi4jException("model file " + file + ": Keras model class \"" + kind
                    + "\" is not supported (Sequential, Model or Functional)");
        }
        KerasInput kin = kerasInput(root, sequential);
        InputSpec input = kerasSpec(file, kin, spec);
        Model net;
        try {
            net = sequential ? KerasModelImport.importKerasSequentialModelAndWeights(file.toString(), false)
                    : KerasModelImport.importKerasModelAndWeights(file.toString(), false);
        } catch (IOException | InvalidKerasConfigurationException | UnsupportedKerasConfigurationException
                 | RuntimeException e) {
            throw new Mi4jException("model file " + file + ": Keras import failed: "
                    + ImportedModel.firstLine(e.getMessage()), e);
        }
        notes.add("Keras " + (sequential ? "Sequential" : kind) + " model imported by DL4J's KerasModelImport as a "
                + net.getClass().getSimpleName());
        return new Loaded(net, input, "keras-h5", producer);
    }

    /** The input a Keras model_config declares: dims without the batch (-1 where null) and the data format. */
    private record KerasInput(long[] dims, boolean channelsFirst) {
        String describe() {
            StringBuilder b = new StringBuilder("[null");
            for (long d : dims) {
                b.append(", ").append(d < 0 ? "null" : Long.toString(d));
            }
            return b.append("], ").append(channelsFirst ? "channels_first" : "channels_last").toString();
        }
    }

    private static KerasInput kerasInput(JsonNode root, boolean sequential) {
        JsonNode cfg = root.path("config");
        JsonNode layers = cfg.isArray() ? cfg : cfg.path("layers");
        JsonNode first = null;
        if (sequential) {
            first = layers.path(0).path("config");
        } else {
            String name = cfg.path("input_layers").path(0).path(0).asText();
            for (JsonNode l : layers) {
                if (name.equals(l.path("name").asText()) || name.equals(l.path("config").path("name").asText())) {
                    first = l.path("config");
                }
            }
        }
        JsonNode shape = first == null ? null : first.has("batch_input_shape") ? first.get("batch_input_shape")
                : first.get("batch_shape");
        boolean channelsFirst = false;
        for (JsonNode l : layers) {
            JsonNode c = l.path("config");
            channelsFirst |= "channels_first".equals(c.path("data_format").asText())
                    || "th".equals(c.path("dim_ordering").asText());
        }
        if (shape == null || !shape.isArray() || shape.size() < 2) {
            return new KerasInput(null, channelsFirst);
        }
        long[] dims = new long[shape.size() - 1];
        for (int i = 1; i < shape.size(); i++) {
            dims[i - 1] = shape.get(i).isNull() ? -1 : shape.get(i).asLong();
        }
        return new KerasInput(dims, channelsFirst);
    }

    private static InputSpec kerasSpec(Path file, KerasInput kin, InputSpec spec) {
        long[] d = kin.dims();
        ImageShape shape = null;
        boolean known = d != null;
        if (d != null) {
            for (long x : d) {
                known &= x > 0;
            }
        }
        if (known && d.length == 3) {
            shape = kin.channelsFirst() ? new ImageShape((int) d[0], (int) d[1], (int) d[2])
                    : new ImageShape((int) d[2], (int) d[0], (int) d[1]);
        } else if (known && d.length == 2) {
            shape = new ImageShape(1, (int) d[0], (int) d[1]);
        }
        if (spec == null) {
            if (shape == null) {
                throw new Mi4jException("model file " + file + " declares its input as "
                        + (d == null ? "nothing" : kin.describe()) + ": declare the image shape");
            }
            return InputSpec.identity(shape);
        }
        if (shape != null && !shape.equals(spec.shape())) {
            throw new Mi4jException("input shape " + spec.shape() + " does not fit model file " + file + ", which takes "
                    + shape + " images (Keras batch_input_shape " + kin.describe() + ")");
        }
        if (known && d.length == 1 && d[0] != spec.shape().size()) {
            throw new Mi4jException("input shape " + spec.shape() + " (" + spec.shape().size() + " values) does not fit"
                    + " model file " + file + ", which takes vectors of " + d[0] + " values");
        }
        return spec;
    }

    /**
     * Refuses an HDF5 file shorter than its superblock's end-of-file address (a truncated copy)
     * before the native HDF5 library opens it.
     */
    static void checkHdf5Complete(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 0);
            b.flip();
            if (b.remaining() < 16) {
                throw new Mi4jException("model file " + file + " is truncated (" + size + " bytes, not even an HDF5 superblock)");
            }
            int version = b.get(8);
            int offsets;
            int at;
            if (version == 0 || version == 1) {
                offsets = b.get(13);
                at = version == 0 ? 24 : 28;
            } else if (version == 2 || version == 3) {
                offsets = b.get(9);
                at = 12;
            } else {
                return;   // an unknown superblock version: let the library judge
            }
            if (offsets != 4 && offsets != 8) {
                throw new Mi4jException("model file " + file + " has a corrupt HDF5 superblock (offset size " + offsets + ")");
            }
            if (b.limit() < at + 3 * offsets) {
                throw new Mi4jException("model file " + file + " is truncated (" + size + " bytes, inside its HDF5 superblock)");
            }
            long base = offset(b, at, offsets);
            long eof = offset(b, at + 2 * offsets, offsets);
            if (eof != -1 && base != -1 && size < base + eof) {
                throw new Mi4jException("model file " + file + " is truncated: its HDF5 superblock says " + (base + eof)
                        + " bytes, the file has " + size);
            }
        } catch (IOException e) {
            throw new Mi4jException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static long offset(ByteBuffer b, int at, int size) {
        long v = size == 8 ? b.getLong(at) : Integer.toUnsignedLong(b.getInt(at));
        return (size == 8 && v == -1L) || (size == 4 && v == 0xffffffffL) ? -1 : v;
    }

    // ------------------------------------------------------------------ ONNX

    private static Loaded onnx(Path file, InputSpec spec, List<String> notes) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            throw new Mi4jException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        OnnxConverter.Result r = OnnxConverter.convert(file, bytes, spec == null ? null : spec.shape());
        notes.addAll(r.notes());
        InputSpec input = spec == null ? InputSpec.identity(r.inputShape()) : spec;
        return new Loaded(r.network(), input, "onnx", r.producer());
    }

    // ------------------------------------------------------------------ DL4J zips

    private static Loaded dl4jZip(Path file, InputSpec spec, List<String> notes) {
        if (Files.isRegularFile(ModelStore.provenancePath(file))) {
            // A mi4j model: ModelStore checks it and its provenance (which says its input shape).
            TargetModel m = ModelStore.load(file);
            ImageShape shape = m.provenance().inputShape();
            if (spec != null && !spec.shape().equals(shape)) {
                throw new Mi4jException("input shape " + spec.shape() + " does not fit model file " + file
                        + ", which takes " + shape + " images (its provenance " + ModelStore.provenancePath(file) + ")");
            }
            notes.add("a mi4j model (" + m.provenance().architecture() + ", trained on " + m.provenance().datasetName()
                    + "), loaded with its provenance");
            return new Loaded(m.network(), spec == null ? InputSpec.identity(shape) : spec, "dl4j-zip",
                    "mi4j " + m.provenance().mi4jVersion() + " (" + m.provenance().architecture() + ")");
        }
        ModelStore.checkZip(file, DL4J_ENTRIES, "a DL4J network holds only " + new TreeSet<>(DL4J_ENTRIES));
        if (spec == null) {
            throw new Mi4jException("model file " + file + " is a DL4J zip, which does not record its input shape:"
                    + " declare it");
        }
        Set<String> entries = new HashSet<>();
        String config;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().map(ZipEntry::getName).forEach(entries::add);
            ZipEntry e = zip.getEntry("configuration.json");
            if (e == null || !entries.contains("coefficients.bin")) {
                throw new Mi4jException("model file " + file + " is a zip without configuration.json and coefficients.bin:"
                        + " not a DL4J network");
            }
            try (InputStream in = zip.getInputStream(e)) {
                config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new Mi4jException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        boolean graph;
        try {
            graph = Json.mapper().readTree(config).has("vertices");
        } catch (IOException e) {
            throw new Mi4jException("model file " + file + ": its configuration.json is not valid JSON", e);
        }
        if (entries.contains("normalizer.bin")) {
            notes.add("the zip holds a normalizer.bin, which mi4j does not read: the declared input spec is the"
                    + " preprocessing applied");
        }
        Model net;
        try {
            net = graph ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new Mi4jException("model file " + file + " is not a readable DL4J network: "
                    + ImportedModel.firstLine(e.getMessage()), e);
        }
        notes.add("a DL4J " + net.getClass().getSimpleName() + " (no provenance beside it)");
        return new Loaded(net, spec, "dl4j-zip", "deeplearning4j");
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        } catch (IOException e) {
            throw new Mi4jException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** SHA-256 of a file's bytes, lower-case hex. */
    static String sha256(Path file) {
        return dev.mi4j.core.io.Sha256.of(file);
    }
}
