package dev.mi4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's files as one checksummed unit: the zip and its sidecars, nothing else. */
class ModelFilesTest {

    @TempDir
    Path tmp;

    @Test
    void checksumCoversTheZipAndItsSidecarsOnly() throws Exception {
        Path zip = tmp.resolve("att-faces-dae-abc.zip");
        Files.writeString(zip, "network");
        Files.writeString(tmp.resolve("att-faces-dae-abc.provenance.json"), "{}");
        Files.writeString(tmp.resolve("att-faces-dae-abc.autoencoder.zip"), "ae");
        Files.writeString(tmp.resolve("att-faces-dae-abcd.zip"), "another model");
        Files.writeString(tmp.resolve(".att-faces-dae-abc.zip.123.partial"), "half written");
        assertEquals(List.of("att-faces-dae-abc.autoencoder.zip", "att-faces-dae-abc.provenance.json", "att-faces-dae-abc.zip"),
                ModelFiles.of(zip).stream().map(p -> p.getFileName().toString()).toList());
        String before = ModelFiles.checksum(zip);
        Files.writeString(tmp.resolve("att-faces-dae-abcd.zip"), "another model, retrained");
        assertEquals(before, ModelFiles.checksum(zip), "another model's file is not part of this one");
        ModelFiles.verify(zip, before, "target dae");

        Files.writeString(tmp.resolve("att-faces-dae-abc.autoencoder.zip"), "ae retrained");
        String after = ModelFiles.checksum(zip);
        assertNotEquals(before, after, "a changed sidecar changes the checksum");
        Mi4jException e = assertThrows(Mi4jException.class, () -> ModelFiles.verify(zip, before, "target dae"));
        assertTrue(e.getMessage().startsWith("target dae: model file " + zip), e.getMessage());
        assertThrows(Mi4jException.class, () -> ModelFiles.checksum(tmp.resolve("missing.zip")));
    }
}
