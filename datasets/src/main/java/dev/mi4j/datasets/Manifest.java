package dev.mi4j.datasets;

import dev.mi4j.core.Mi4jException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project-owned SHA-256 manifest in {@code sha256sum} format ("hash  relative/path"), and the
 * check of a dataset folder against it.
 *
 * @param entries    relative path to expected sha256, in manifest order
 * @param textSha256 sha256 of the manifest text itself, recorded with results as provenance
 * @param origin     where the manifest was read from, for messages
 */
public record Manifest(Map<String, String> entries, String textSha256, String origin) {

    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");

    public Manifest {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Loads a manifest from the classpath. */
    public static Manifest fromResource(String resource) {
        try (InputStream in = Manifest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("manifest resource missing from the jar: " + resource);
            }
            return parse(in.readAllBytes(), resource);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read manifest resource " + resource, e);
        }
    }

    /** Parses manifest bytes; paths must be relative and stay inside the dataset folder. */
    public static Manifest parse(byte[] text, String origin) {
        Map<String, String> entries = new LinkedHashMap<>();
        String[] lines = new String(text, StandardCharsets.UTF_8).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new Mi4jException(origin + ": line " + (i + 1) + " is not '<sha256>  <path>'");
            }
            String path = m.group(2);
            if (!isSafeRelativePath(path)) {
                throw new Mi4jException(origin + ": line " + (i + 1) + ": path '" + path + "' is not a plain relative path");
            }
            if (entries.put(path, m.group(1)) != null) {
                throw new Mi4jException(origin + ": line " + (i + 1) + ": duplicate path '" + path + "'");
            }
        }
        if (entries.isEmpty()) {
            throw new Mi4jException(origin + ": manifest is empty");
        }
        return new Manifest(entries, sha256(text), origin);
    }

    /** True for "a/b/c" style paths: no empty, "." or ".." segments, not absolute, no backslashes. */
    static boolean isSafeRelativePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")
                || path.matches("^[A-Za-z]:.*")) {
            return false;
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks every file of the manifest under {@code root}. Throws on the first problem: a
     * whole missing top-level folder (an identity) is reported as such, then a missing file,
     * then a checksum mismatch with both hashes.
     */
    public void verify(Path root) {
        if (!Files.isDirectory(root)) {
            throw new Mi4jException(root + ": dataset folder does not exist");
        }
        // Group by top-level folder first so a missing identity is named as a folder, not as
        // its first file.
        Map<String, Integer> filesPerFolder = new TreeMap<>();
        for (String p : entries.keySet()) {
            int slash = p.indexOf('/');
            if (slash > 0) {
                filesPerFolder.merge(p.substring(0, slash), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> f : filesPerFolder.entrySet()) {
            if (!Files.isDirectory(root.resolve(f.getKey()))) {
                throw new Mi4jException(root.resolve(f.getKey()) + ": identity folder is missing ("
                        + f.getValue() + " files expected by the manifest " + origin + ")");
            }
        }
        List<String> missing = new ArrayList<>();
        for (String p : entries.keySet()) {
            if (!Files.isRegularFile(root.resolve(p))) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            throw new Mi4jException(root.resolve(missing.get(0)) + ": file is missing"
                    + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more files of the manifest)" : ""));
        }
        for (Map.Entry<String, String> e : entries.entrySet()) {
            Path file = root.resolve(e.getKey());
            String actual = sha256(file);
            if (!actual.equals(e.getValue())) {
                throw new Mi4jException(file + ": checksum mismatch: expected sha256 " + e.getValue()
                        + ", found " + actual);
            }
        }
    }

    public int size() {
        return entries.size();
    }

    /** SHA-256 of bytes, lower-case hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** SHA-256 of a file's bytes, lower-case hex; an unreadable file is a one-line error naming it. */
    public static String sha256(Path file) {
        MessageDigest md = digest();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new Mi4jException(file + ": cannot read: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
