package dev.mi4j.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Helpers of the reliability tests: files under a folder, JSON without timing fields, zip entries. */
final class ReliabilityFiles {

    /**
     * Fields that measure time, not results: excluded when runs are compared. attackMillis (the
     * attack's wall-clock), trainingMillis and createdAt (of a model's provenance), millis.
     */
    static final Set<String> TIMING_FIELDS = Set.of("attackMillis", "trainingMillis", "createdAt", "millis");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReliabilityFiles() {
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(Files.readString(file));
    }

    /** The JSON document with every timing field removed, at any depth. */
    static JsonNode withoutTiming(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(TIMING_FIELDS);
        }
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
            strip(it.next());
        }
    }

    /** Relative path -> size of every regular file under root. */
    static TreeMap<String, Long> files(Path root) throws IOException {
        TreeMap<String, Long> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.size(p));
            }
        }
        return out;
    }

    static boolean isPartialName(String relative) {
        String name = Path.of(relative).getFileName().toString();
        return name.startsWith(".") && name.endsWith(".partial");
    }

    /** Entry name -> bytes of a zip file. */
    static TreeMap<String, byte[]> entries(Path zip) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> e = z.entries();
            while (e.hasMoreElements()) {
                ZipEntry entry = e.nextElement();
                try (var in = z.getInputStream(entry)) {
                    out.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    static List<Path> pngs(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
    }
}
