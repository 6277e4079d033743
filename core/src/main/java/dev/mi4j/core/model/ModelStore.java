package dev.mi4j.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Saves and loads target models: the network as a DL4J ModelSerializer zip (no updater state:
 * a target is never trained further) and its provenance as {@code <name>.provenance.json} beside it.
 * Both files are written atomically.
 */
public final class ModelStore {

    private ModelStore() {
    }

    /** The provenance sidecar of a model file: {@code models/mlp.zip -> models/mlp.provenance.json}. */
    public static Path provenancePath(Path zip) {
        String name = zip.getFileName().toString();
        String stem = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return zip.resolveSibling(stem + ".provenance.json");
    }

    /**
     * Writes the model (and a DAE target's autoencoder beside it, {@link AutoencoderStore}), then
     * its provenance. The provenance file is the commit marker: it is removed first and written
     * last, so a process killed in between leaves a zip without provenance, which {@link #load}
     * refuses and the model cache does not count as a hit.
     */
    public static void save(TargetModel model, Path zip) {
        try {
            Files.deleteIfExists(provenancePath(zip));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot replace " + provenancePath(zip) + ": " + e.getMessage(), e);
        }
        if (model.autoencoder() != null) {
            AutoencoderStore.save(model.autoencoder(), zip);
        }
        AtomicFiles.writeVia(zip, tmp -> ModelSerializer.writeModel(model.network(), tmp.toFile(), false));
        AtomicFiles.writeString(provenancePath(zip), model.provenance().toJson() + "\n");
    }

    /**
     * Loads a model and its provenance (and the autoencoder saved beside a DAE target).
     *
     * @throws Mi4jException naming the file when it is missing, not a zip, truncated, unsafe, not a
     *                       DL4J network, or when its provenance is missing, malformed or disagrees with it
     */
    public static TargetModel load(Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new Mi4jException("model file " + zip + " does not exist");
        }
        checkZip(zip);
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new Mi4jException("model file " + zip + " is not a readable DL4J network: " + e.getMessage(), e);
        }
        Path provFile = provenancePath(zip);
        if (!Files.isRegularFile(provFile)) {
            throw new Mi4jException("model file " + zip + " has no provenance file " + provFile);
        }
        Provenance prov;
        try {
            prov = Provenance.fromJson(Files.readString(provFile, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new Mi4jException("provenance file " + provFile + " is not valid: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new Mi4jException("cannot read provenance file " + provFile + ": " + e.getMessage(), e);
        }
        if (prov.inputShape() == null) {
            throw new Mi4jException("provenance file " + provFile + " lacks inputShape");
        }
        long outputs = net.getLayer(net.getnLayers() - 1).getParam("b").length();
        if (outputs != prov.numClasses()) {
            throw new Mi4jException("model file " + zip + " has " + outputs + " outputs but its provenance "
                    + provFile + " says " + prov.numClasses() + " classes");
        }
        // A DAE classifier is usable without its autoencoder (only the Process-DAE step needs it,
        // and says so when it is missing); a damaged autoencoder file is an error, not a silent skip.
        PretrainedAutoencoder autoencoder = AutoencoderStore.exists(zip) ? AutoencoderStore.load(zip) : null;
        return new TargetModel(net, prov, zip.toString(), autoencoder);
    }

    /**
     * The only entries a model file may hold: what ModelSerializer writes for a network. Anything
     * else is refused, above all {@code preprocessor.bin}, which ModelSerializer would hand to
     * {@link java.io.ObjectInputStream#readObject()} (Java deserialization of untrusted data),
     * and {@code normalizer.bin}, which mi4j never writes.
     */
    static final Set<String> ALLOWED_ENTRIES = Set.of("configuration.json", "coefficients.bin", "noParams.marker",
            "updaterState.bin");

    /**
     * Checks the file before DL4J sees it. Two views of the zip are checked, because they can
     * differ on a crafted file: the central directory (what {@link ZipFile} lists; CRC-checked)
     * and the local entries read in sequence by {@link ZipInputStream}, which is how
     * ModelSerializer reads the file. Both must list the same allowed, safe names; the entries
     * must fit in the heap (ModelSerializer holds them all as byte arrays), and the coefficient
     * array must not declare more values than the file holds.
     */
    static void checkZip(Path zip) {
        checkZip(zip, ALLOWED_ENTRIES, "a mi4j model holds only " + new TreeSet<>(ALLOWED_ENTRIES));
    }

    /**
     * The checks of {@link #checkZip(Path)} with another allow-list of entry names (the model
     * importer's, for DL4J zips made elsewhere); {@code allowedWhat} completes the message that
     * refuses any other entry, e.g. "a DL4J network holds only [...]".
     *
     * @throws Mi4jException naming the file and the problem
     */
    public static void checkZip(Path zip, Set<String> allowedEntries, String allowedWhat) {
        Set<String> central = new HashSet<>();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zf.entries();
            if (!entries.hasMoreElements()) {
                throw new Mi4jException("model file " + zip + " is an empty zip");
            }
            byte[] buf = new byte[1 << 16];
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                checkName(zip, e.getName(), allowedEntries, allowedWhat);
                if (!central.add(e.getName())) {
                    throw new Mi4jException("model file " + zip + " lists entry '" + e.getName() + "' twice");
                }
                try (InputStream in = zf.getInputStream(e)) {
                    while (in.read(buf) >= 0) {
                        // reading to the end verifies the entry's CRC
                    }
                }
            }
        } catch (ZipException e) {
            throw new Mi4jException("model file " + zip + " is not a valid zip (truncated or corrupt?): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new Mi4jException("cannot read model file " + zip + ": " + e.getMessage(), e);
        }
        Set<String> local = new HashSet<>();
        long total = 0;
        long heapBudget = (long) (Runtime.getRuntime().maxMemory() * 0.8);
        try (ZipInputStream zin = new ZipInputStream(new BufferedInputStream(Files.newInputStream(zip)))) {
            for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                checkName(zip, e.getName(), allowedEntries, allowedWhat);
                if (!local.add(e.getName())) {
                    throw new Mi4jException("model file " + zip + " holds entry '" + e.getName() + "' twice");
                }
                long size = e.getName().equals("coefficients.bin") ? checkCoefficients(zip, zin) : count(zin);
                total += size;
                if (total > heapBudget) {
                    throw new Mi4jException("model file " + zip + " unpacks to more than " + total / (1 << 20)
                            + " MiB, more than the JVM heap allows (max " + Runtime.getRuntime().maxMemory() / (1 << 20)
                            + " MiB): raise -Xmx (JAVA_OPTS for ./mi4j) if the file is genuine");
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new Mi4jException("model file " + zip + " is not a valid zip (truncated or corrupt?): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new Mi4jException("cannot read model file " + zip + ": " + e.getMessage(), e);
        }
        if (!local.equals(central)) {
            throw new Mi4jException("model file " + zip + " is inconsistent: its directory lists " + new TreeSet<>(central)
                    + " but it holds " + new TreeSet<>(local));
        }
    }

    private static void checkName(Path zip, String rawName, Set<String> allowed, String allowedWhat) {
        String name = rawName.replace('\\', '/');
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || name.equals("..") || name.startsWith("../")
                || name.contains("/../") || name.endsWith("/..")) {
            throw new Mi4jException("model file " + zip + " contains an unsafe entry name '" + rawName + "'");
        }
        if (!allowed.contains(name)) {
            throw new Mi4jException("model file " + zip + " contains an unexpected entry '" + rawName
                    + "' (" + allowedWhat + "; refused, not loaded)");
        }
    }

    /**
     * Reads the ND4J headers of coefficients.bin (the shape buffer, then the data buffer) and
     * checks that the values they declare are present, so a corrupt or hostile header cannot
     * make ND4J allocate terabytes. Returns the entry's size in bytes.
     */
    private static long checkCoefficients(Path zip, InputStream entry) throws IOException {
        CountingStream in = new CountingStream(entry);
        DataInputStream d = new DataInputStream(in);
        try {
            for (int buffer = 0; buffer < 2; buffer++) {
                // The layout of BaseDataBuffer.readHeader: mode, length (int for the three oldest modes), type.
                DataBuffer.AllocationMode mode = DataBuffer.AllocationMode.valueOf(d.readUTF());
                long length = mode.ordinal() < DataBuffer.AllocationMode.LONG_SHAPE.ordinal() ? d.readInt() : d.readLong();
                DataType type = DataType.valueOf(d.readUTF());
                long declared = length * Math.max(1, type.width());
                if (length < 0 || declared < 0 || (buffer == 0 && length > 64)) {
                    throw new Mi4jException("model file " + zip + ": coefficients.bin is corrupt (array header declares "
                            + length + " " + type + " values)");
                }
                long skipped = d.skip(declared);
                if (skipped < declared) {
                    throw new Mi4jException("model file " + zip + ": coefficients.bin is corrupt (declares " + length
                            + " " + type + " values, " + declared + " bytes, but holds only " + skipped + ")");
                }
            }
        } catch (IllegalArgumentException | java.io.UTFDataFormatException | java.io.EOFException e) {
            throw new Mi4jException("model file " + zip + ": coefficients.bin is corrupt (not an ND4J array: "
                    + e.getMessage() + ")", e);
        }
        return in.count + count(entry);
    }

    private static long count(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
            n += r;
        }
        return n;
    }

    /** Counts the bytes read through it; never closes the zip stream beneath. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            count += Math.max(r, 0);
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            // InputStream.skip on a zip entry may skip less than asked: loop until EOF or done.
            long done = 0;
            byte[] buf = new byte[1 << 16];
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public void close() {
            // the zip stream is closed by its owner
        }
    }
}
