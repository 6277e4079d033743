package dev.mi4j.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;

/** Version of mi4j (from the build) and git commit of the working copy (if any), for provenance. */
public final class BuildInfo {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");
    private static final String UNKNOWN = "unknown";

    private BuildInfo() {
    }

    /** The Maven project version, filtered into build.properties at build time. */
    public static String version() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", UNKNOWN).trim();
            return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    /**
     * The commit checked out in the git working copy that contains the system property
     * {@code mi4j.home} (or the current directory), found by walking up to a {@code .git}
     * directory or worktree file; "unknown" when there is none.
     */
    public static String gitCommit() {
        String home = System.getProperty("mi4j.home");
        return gitCommit(Path.of(home != null ? home : System.getProperty("user.dir")));
    }

    static String gitCommit(Path start) {
        try {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path dotGit = dir.resolve(".git");
                if (Files.isDirectory(dotGit)) {
                    return resolveHead(dotGit);
                }
                if (Files.isRegularFile(dotGit)) { // worktree or submodule: "gitdir: <path>"
                    String line = Files.readString(dotGit, StandardCharsets.UTF_8).trim();
                    if (line.startsWith("gitdir:")) {
                        return resolveHead(dir.resolve(line.substring(7).trim()).normalize());
                    }
                    return UNKNOWN;
                }
            }
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }

    private static String resolveHead(Path gitDir) throws IOException {
        Path headFile = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(headFile)) {
            return UNKNOWN;
        }
        String head = Files.readString(headFile, StandardCharsets.UTF_8).trim();
        if (!head.startsWith("ref:")) {
            return SHA.matcher(head).matches() ? head : UNKNOWN;
        }
        String ref = head.substring(4).trim();
        // Linked worktrees keep branch refs in the common directory named by "commondir".
        Path common = gitDir;
        Path commonFile = gitDir.resolve("commondir");
        if (Files.isRegularFile(commonFile)) {
            common = gitDir.resolve(Files.readString(commonFile, StandardCharsets.UTF_8).trim()).normalize();
        }
        for (Path d : new Path[] {gitDir, common}) {
            Path refFile = d.resolve(ref);
            if (Files.isRegularFile(refFile)) {
                String sha = Files.readString(refFile, StandardCharsets.UTF_8).trim();
                if (SHA.matcher(sha).matches()) {
                    return sha;
                }
            }
            Path packed = d.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                    String[] parts = line.trim().split(" ");
                    if (parts.length == 2 && parts[1].equals(ref) && SHA.matcher(parts[0]).matches()) {
                        return parts[0];
                    }
                }
            }
        }
        return UNKNOWN;
    }
}
