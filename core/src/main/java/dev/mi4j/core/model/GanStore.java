package dev.mi4j.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads a {@link Gan}: {@code gan.zip} is the generator (a plain DL4J model file),
 * {@code gan.discriminator.zip} the discriminator beside it, {@code gan.provenance.json} the
 * provenance. Both networks are written without updater state (an attacker's prior is not trained
 * further). The provenance is the commit marker: removed first, written last, so a process killed
 * in between leaves files that {@link #load} refuses. On load both zips go through the same entry
 * allow-list as every model file ({@link ModelStore#checkZip}): never a Java-deserialised entry.
 */
public final class GanStore {

    private GanStore() {
    }

    /** {@code models/gan.zip -> models/gan.discriminator.zip}. */
    public static Path discriminatorPath(Path generatorZip) {
        String name = generatorZip.getFileName().toString();
        String stem = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return generatorZip.resolveSibling(stem + ".discriminator.zip");
    }

    /** {@code models/gan.zip -> models/gan.provenance.json}. */
    public static Path provenancePath(Path generatorZip) {
        return ModelStore.provenancePath(generatorZip);
    }

    /** True when all three files are there (the provenance is written last). */
    public static boolean exists(Path generatorZip) {
        return Files.isRegularFile(generatorZip) && Files.isRegularFile(discriminatorPath(generatorZip))
                && Files.isRegularFile(provenancePath(generatorZip));
    }

    /**
     * @throws IllegalArgumentException when the GAN has no provenance (save only trained GANs)
     */
    public static void save(Gan gan, Path generatorZip) {
        if (gan.provenance() == null) {
            throw new IllegalArgumentException("gan: has no provenance; a saved GAN records how it was trained");
        }
        try {
            Files.deleteIfExists(provenancePath(generatorZip));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot replace " + provenancePath(generatorZip) + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeVia(generatorZip, tmp -> ModelSerializer.writeModel(gan.generator(), tmp.toFile(), false));
        AtomicFiles.writeVia(discriminatorPath(generatorZip),
                tmp -> ModelSerializer.writeModel(gan.discriminator(), tmp.toFile(), false));
        AtomicFiles.writeString(provenancePath(generatorZip), gan.provenance().toJson() + "\n");
    }

    /**
     * @throws Mi4jException naming the file when one is missing, unsafe, unreadable, or disagrees with the provenance
     */
    public static Gan load(Path generatorZip) {
        Path disc = discriminatorPath(generatorZip);
        Path prov = provenancePath(generatorZip);
        for (Path p : new Path[] {generatorZip, disc, prov}) {
            if (!Files.isRegularFile(p)) {
                throw new Mi4jException("GAN file " + p + " does not exist (a GAN saved by mi4j has " + generatorZip.getFileName()
                        + ", " + disc.getFileName() + " and " + prov.getFileName() + ")");
            }
        }
        GanProvenance p;
        try {
            p = GanProvenance.fromJson(Files.readString(prov, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new Mi4jException("provenance file " + prov + " is not valid: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new Mi4jException("cannot read provenance file " + prov + ": " + e.getMessage(), e);
        }
        if (p.imageShape() == null || p.latentDim() < 1) {
            throw new Mi4jException("provenance file " + prov + " lacks imageShape or latentDim");
        }
        MultiLayerNetwork g = read(generatorZip, "generator");
        MultiLayerNetwork d = read(disc, "discriminator");
        try {
            return new Gan(g, d, p.imageShape(), p.latentDim(), p);
        } catch (IllegalArgumentException e) {
            throw new Mi4jException("GAN " + generatorZip + " does not match its provenance " + prov + ": " + e.getMessage(), e);
        }
    }

    private static MultiLayerNetwork read(Path zip, String what) {
        ModelStore.checkZip(zip);
        try {
            return ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new Mi4jException(what + " file " + zip + " is not a readable DL4J network: " + e.getMessage(), e);
        }
    }
}
