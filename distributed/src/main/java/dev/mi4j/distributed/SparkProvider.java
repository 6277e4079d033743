package dev.mi4j.distributed;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.experiments.pipeline.ClusterDispatchers;
import dev.mi4j.experiments.pipeline.TrialEnvironment;
import dev.mi4j.experiments.sweep.TrialDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;

/**
 * {@code mi4j sweep CONFIG --spark MASTER}: registered with {@link java.util.ServiceLoader} as the
 * "spark" {@link ClusterDispatchers.Provider}.
 *
 * <p>Settings, in the order they win: {@code --spark-conf KEY=VALUE}, then {@code spark.*} system
 * properties (what spark-submit passes), then these defaults: executors get the driver's classpath
 * (mi4j installed at the same path on every machine, or on a shared file system) and the ND4J and
 * mi4j settings of the driver JVM (natives flavour, off-heap bounds, {@code mi4j.home}) and its
 * {@code OMP_WAIT_POLICY} and {@code MI4J_DATA_DIR}.
 */
public final class SparkProvider implements ClusterDispatchers.Provider {

    /** System properties of the driver JVM that executors need as they are. */
    static final List<String> FORWARDED_PROPERTIES = List.of("org.bytedeco.javacpp.platform.extension",
            "org.bytedeco.javacpp.maxbytes", "org.bytedeco.javacpp.maxphysicalbytes", "mi4j.home", "java.awt.headless");
    /** Environment variables of the driver that executors get. */
    static final List<String> FORWARDED_ENV = List.of("OMP_WAIT_POLICY", "MI4J_DATA_DIR");

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public TrialDispatcher create(String master, Map<String, String> settings, TrialEnvironment environment) {
        return new SparkDispatcher(conf(master, settings, environment), environment);
    }

    static SparkConf conf(String master, Map<String, String> settings, TrialEnvironment environment) {
        SparkConf conf = new SparkConf(); // reads spark.* system properties (spark-submit's)
        settings.forEach((k, v) -> {
            if (!k.startsWith("spark.")) {
                throw new Mi4jException("--spark-conf " + k + "=" + v + ": not a Spark setting (they start with 'spark.')");
            }
            conf.set(k, v);
        });
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new Mi4jException("--spark: no master given and none set (spark.master): pass one, e.g. "
                    + "--spark local[2] or --spark spark://host:7077, or start mi4j with spark-submit --master ...");
        }
        conf.setIfMissing("spark.app.name", "mi4j sweep " + environment.runDirectory().getFileName());
        // Executors run from the same installation as the driver, with its ND4J settings.
        conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        conf.setIfMissing("spark.executor.extraJavaOptions", forwardedOptions());
        for (String name : FORWARDED_ENV) {
            String v = System.getenv(name);
            if (v != null && !conf.contains("spark.executorEnv." + name)) {
                conf.setExecutorEnv(name, v);
            }
        }
        // A trial is one task; a second copy of a slow trial would only compete for the cores.
        conf.setIfMissing("spark.speculation", "false");
        return conf;
    }

    static String forwardedOptions() {
        List<String> opts = new ArrayList<>();
        for (String p : FORWARDED_PROPERTIES) {
            String v = System.getProperty(p);
            if (v != null) {
                if (v.matches(".*\\s.*")) {
                    throw new Mi4jException("system property " + p + "=" + v + " holds white space: it cannot be passed to "
                            + "Spark executors; set spark.executor.extraJavaOptions yourself");
                }
                opts.add("-D" + p + "=" + v);
            }
        }
        return String.join(" ", opts);
    }
}
