package dev.mi4j.experiments.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mi4j.core.io.AtomicFiles;
import dev.mi4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trials.jsonl}: one compact JSON line per finished trial, appended and fsynced, for
 * tools that tail a running sweep. The done.json files are the truth: on resume the journal is
 * rebuilt from them when it disagrees (a line lost between done.json and the append, or a last
 * line cut short by kill -9 in the middle of an append).
 */
final class Journal {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final ObjectWriter LINE = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    Journal(Path file) {
        this.file = file;
    }

    static String line(TrialRecord r) {
        try {
            return LINE.writeValueAsString(r) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise trial " + r.trialId() + ": " + e.getMessage(), e);
        }
    }

    synchronized void append(TrialRecord r) {
        byte[] bytes = line(r).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the journal leniently: a last line without its newline (an interrupted append) or any
     * unparsable line is skipped. Later lines for the same trial win.
     */
    static Read read(Path file) {
        Map<String, TrialRecord> records = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return new Read(records, true);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        boolean clean = text.isEmpty() || text.endsWith("\n");
        String[] lines = text.split("\n", -1);
        int complete = lines.length - 1; // the last piece is "" after a final newline, or a cut line
        for (int i = 0; i < complete; i++) {
            try {
                TrialRecord r = Json.mapper().readValue(lines[i], TrialRecord.class);
                records.put(r.trialId(), r);
            } catch (IOException e) {
                clean = false;
                LOG.warn("{} line {} is unreadable and ignored: {}", file, i + 1, e.getMessage());
            }
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            LOG.warn("{}: ignoring a truncated last line (an interrupted append)", file);
        }
        return new Read(records, clean);
    }

    /** Rewrites the journal from the done records when it does not hold exactly them. */
    void reconcile(Collection<TrialRecord> done) {
        Read current = read(file);
        Map<String, TrialRecord> want = new LinkedHashMap<>();
        done.forEach(r -> want.put(r.trialId(), r));
        if (current.clean() && current.records().equals(want) && (Files.exists(file) || want.isEmpty())) {
            return;
        }
        LOG.info("rebuilding {} from the {} done.json files", file, want.size());
        StringBuilder sb = new StringBuilder();
        want.values().forEach(r -> sb.append(line(r)));
        AtomicFiles.writeString(file, sb.toString());
    }

    record Read(Map<String, TrialRecord> records, boolean clean) {
    }
}
