package dev.mi4j.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.experiments.pipeline.ClusterDispatchers;
import dev.mi4j.experiments.pipeline.TrialEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The Java options Spark needs on Java 17, the provider's registration and its settings. */
class SparkLauncherOptionsTest {

    private static final List<String> SPARK = Arrays.asList(JavaModuleOptions.defaultModuleOptions().split(" "));

    @Test
    void launcherAndBuildPassSparksModuleOptions() throws Exception {
        String launcher = Files.readString(Path.of("..", "mi4j"));
        Matcher m = Pattern.compile("JAVA_OPTS\\+=\\((-XX:\\+IgnoreUnrecognizedVMOptions[^)]*)\\)").matcher(launcher);
        assertTrue(m.find(), "./mi4j adds Spark's options");
        assertEquals(SPARK, Arrays.asList(m.group(1).trim().split("\\s+")), "./mi4j's list is Spark's");
        String fromPom = System.getProperty("mi4j.spark.java.options");
        assertNotNull(fromPom, "surefire passes the pom's spark.java.options");
        assertEquals(SPARK, Arrays.asList(fromPom.trim().split("\\s+")), "the pom's list is Spark's");
    }

    @Test
    void registeredAsTheSparkProvider() {
        ClusterDispatchers.Provider p = ClusterDispatchers.find("spark");
        assertTrue(p instanceof SparkProvider);
        Mi4jException e = assertThrows(Mi4jException.class, () -> ClusterDispatchers.find("dask"));
        assertTrue(e.getMessage().contains("--dask"), e.getMessage());
    }

    @Test
    void settingsWinOverDefaultsAndNonSparkKeysAreRefused() {
        TrialEnvironment env = new TrialEnvironment("/x/c.yaml", "0", "/d", "0", null, "/runs/grid", List.of(), null, null);
        SparkConf conf = SparkProvider.conf("local[2]", Map.of("spark.executor.memory", "3g",
                "spark.executor.extraClassPath", "/opt/mi4j/lib/*"), env);
        assertEquals("local[2]", conf.get("spark.master"));
        assertEquals("3g", conf.get("spark.executor.memory"));
        assertEquals("/opt/mi4j/lib/*", conf.get("spark.executor.extraClassPath"), "a given setting is kept");
        assertEquals("mi4j sweep grid", conf.get("spark.app.name"));
        assertEquals("false", conf.get("spark.speculation"));
        String opts = conf.get("spark.executor.extraJavaOptions");
        assertTrue(opts.contains("-Dorg.bytedeco.javacpp.platform.extension="), "executors load the driver's ND4J natives: " + opts);

        Mi4jException bad = assertThrows(Mi4jException.class, () -> SparkProvider.conf("local[2]", Map.of("executor.memory", "3g"), env));
        assertTrue(bad.getMessage().contains("executor.memory"), bad.getMessage());
        Mi4jException none = assertThrows(Mi4jException.class, () -> SparkProvider.conf(null, Map.of(), env));
        assertTrue(none.getMessage().contains("--spark"), none.getMessage());
    }
}
