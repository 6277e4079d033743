package dev.mi4j.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

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

    public static void save(TargetModel model, Path zip) {
        AtomicFiles.writeVia(zip, tmp -> ModelSerializer.writeModel(model.network(), tmp.toFile(), false));
        AtomicFiles.writeString(provenancePath(zip), model.provenance().toJson() + "\n");
    }

    /**
     * Loads a model and its provenance.
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
        return new TargetModel(net, prov, zip.toString());
    }

    /** Reads the central directory and every entry (CRC-checked) before DL4J sees the file. */
    private static void checkZip(Path zip) {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zf.entries();
            if (!entries.hasMoreElements()) {
                throw new Mi4jException("model file " + zip + " is an empty zip");
            }
            byte[] buf = new byte[1 << 16];
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName().replace('\\', '/');
                if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || name.equals("..") || name.startsWith("../")
                        || name.contains("/../") || name.endsWith("/..")) {
                    throw new Mi4jException("model file " + zip + " contains an unsafe entry name '" + e.getName() + "'");
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
    }
}
