package dev.mi4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildInfoTest {

    @TempDir
    Path dir;

    @Test
    void versionComesFromTheBuild() {
        assertTrue(BuildInfo.version().matches("\\d+\\.\\d+\\.\\d+.*"), BuildInfo.version());
    }

    @Test
    void readsBranchRefsLooseAndPacked() throws IOException {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        Path git = Files.createDirectories(dir.resolve("repo/.git/refs/heads"));
        Files.writeString(dir.resolve("repo/.git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("main"), sha + "\n");
        Path sub = Files.createDirectories(dir.resolve("repo/a/b"));
        assertEquals(sha, BuildInfo.gitCommit(sub));
        Files.delete(git.resolve("main"));
        Files.writeString(dir.resolve("repo/.git/packed-refs"), "# pack-refs\n" + sha + " refs/heads/main\n");
        assertEquals(sha, BuildInfo.gitCommit(sub));
        Files.writeString(dir.resolve("repo/.git/HEAD"), "ref: refs/heads/other\n");
        assertEquals("unknown", BuildInfo.gitCommit(sub));
    }

    @Test
    void readsLinkedWorktrees() throws IOException {
        String sha = "89abcdef0123456789abcdef0123456789abcdef";
        Path common = Files.createDirectories(dir.resolve("main/.git/refs/heads"));
        Files.writeString(common.resolve("topic"), sha + "\n");
        Path wtGit = Files.createDirectories(dir.resolve("main/.git/worktrees/wt"));
        Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/topic\n");
        Files.writeString(wtGit.resolve("commondir"), "../..\n");
        Path wt = Files.createDirectories(dir.resolve("wt"));
        Files.writeString(wt.resolve(".git"), "gitdir: " + wtGit + "\n");
        assertEquals(sha, BuildInfo.gitCommit(wt));
    }

    @Test
    void thisCheckoutHasACommitWhenItIsAGitCheckout() {
        boolean inGit = false;
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            inGit |= Files.exists(d.resolve(".git"));
        }
        if (inGit) {
            assertNotEquals("unknown", BuildInfo.gitCommit());
        } else {
            assertEquals("unknown", BuildInfo.gitCommit());
        }
    }
}
