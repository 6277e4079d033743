package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.experiments.sweep.TrialDispatcher;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Dispatchers that run a sweep's trials on a cluster, found on the classpath through
 * {@link ServiceLoader}: the base command line carries none, the distributed module (Spark)
 * registers one. Keeps the dependency direction: the cluster module depends on this one, never
 * the reverse.
 */
public final class ClusterDispatchers {

    private ClusterDispatchers() {
    }

    /** A cluster backend. */
    public interface Provider {
        /** Its name on the command line ("spark"). */
        String name();

        /**
         * A dispatcher that runs trials on {@code master} with extra {@code settings}; each trial
         * runs in an executor built from {@code environment} ({@link TrialEnvironment#executor()}).
         * It may implement AutoCloseable; it is closed after the sweep.
         */
        TrialDispatcher create(String master, Map<String, String> settings, TrialEnvironment environment);
    }

    /** The provider named {@code name}, or an error that says how to build it. */
    public static Provider find(String name) {
        for (Provider p : ServiceLoader.load(Provider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new Mi4jException("--" + name + ": the " + name + " module is not on the classpath; build it with "
                + "'mvn -B -DskipTests -pl distributed -am package' (./mi4j does this itself when it sees --" + name + ")");
    }
}
