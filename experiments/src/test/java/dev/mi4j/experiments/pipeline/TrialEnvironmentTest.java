package dev.mi4j.experiments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.Sha256;
import dev.mi4j.experiments.sweep.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An executor refuses an environment it cannot see or whose files changed, naming what and where. */
class TrialEnvironmentTest {

    @TempDir
    Path tmp;

    private TrialEnvironment env(Path config, String configSha, Path runDir, TrialEnvironment.ModelRef model) {
        return new TrialEnvironment(config.toString(), configSha, null, "0", null, runDir.toString(),
                model == null ? List.of() : List.of(model), null, null);
    }

    @Test
    void travelsAsJson() {
        TrialEnvironment e = env(tmp.resolve("c.yaml"), "abc", tmp.resolve("run"),
                new TrialEnvironment.ModelRef("softmax", "/models/s.zip", "def"));
        assertEquals(e, TrialEnvironment.fromJson(e.toJson()));
    }

    @Test
    void aRunDirectoryNotVisibleHereIsNamed() {
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> env(tmp.resolve("c.yaml"), "abc", tmp.resolve("elsewhere"), null).executor());
        assertTrue(e.getMessage().contains("run directory " + tmp.resolve("elsewhere") + " is not visible"), e.getMessage());
    }

    @Test
    void aConfigChangedSinceTheSweepStartedIsRefused() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve(RunLayout.PLAN), "[]");
        Path config = tmp.resolve("grid.yaml");
        Files.writeString(config, "name: grid\n");
        String sha = Sha256.of(config);
        Files.writeString(config, "name: grid-edited\n");
        Mi4jException e = assertThrows(Mi4jException.class, () -> env(config, sha, run, null).executor());
        assertTrue(e.getMessage().startsWith("config file " + config + " changed since the sweep started"), e.getMessage());
    }
}
