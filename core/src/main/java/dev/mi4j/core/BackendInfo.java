package dev.mi4j.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What ND4J runs on: backend, BLAS, threads. Logged once per process, recorded in provenance. */
public final class BackendInfo {

    private static final Logger LOG = LoggerFactory.getLogger(BackendInfo.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private BackendInfo() {
    }

    /** Short backend name: "CPU" or "CUDA", as ND4J's environment reports it. */
    public static String backend() {
        String cls = Nd4j.getBackend().getClass().getSimpleName();
        if (cls.contains("Cuda") || cls.contains("CUDA")) {
            return "CUDA";
        }
        return cls.contains("CpuBackend") || cls.contains("Native") ? "CPU" : cls;
    }

    /**
     * True when ND4J's CPU backend runs libnd4j's oneDNN build: the nd4j-native classifier
     * linux-x86_64-onednn, which JavaCPP loads only under the platform extension "-onednn"
     * (-Dorg.bytedeco.javacpp.platform.extension=-onednn, the default of the build and the
     * launcher). Convolutions and pools then have oneDNN kernels, in libnd4j's ops and in
     * DL4J's layers alike.
     */
    public static boolean oneDnn() {
        return System.getProperty("org.bytedeco.javacpp.platform.extension", "").contains("onednn");
    }

    /** "CPU (oneDNN)", "CPU" or "CUDA": the backend and, on the CPU, which natives. */
    public static String label() {
        String b = backend();
        return b.equals("CPU") && oneDnn() ? "CPU (oneDNN)" : b;
    }

    /** Backend, BLAS vendor, thread counts and devices, for logs, provenance and benchmarks. */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend());
        m.put("backendClass", Nd4j.getBackend().getClass().getName());
        if (backend().equals("CPU")) {
            m.put("natives", oneDnn() ? "oneDNN" : "plain");
        }
        try {
            m.put("blas", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
        } catch (RuntimeException e) {
            m.put("blas", "unknown");
        }
        m.put("ompThreads", Nd4j.getEnvironment().maxThreads());
        m.put("masterThreads", Nd4j.getEnvironment().maxMasterThreads());
        m.put("dataType", Nd4j.dataType().toString());
        Object env = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
        if (env != null) {
            m.put("devices", String.valueOf(env));
        }
        m.put("cpuCores", Runtime.getRuntime().availableProcessors());
        m.put("ompWaitPolicy", System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset"));
        return m;
    }

    /** Logs {@link #describe()} at INFO the first time it is called in this process. */
    public static void logOnce() {
        if (LOGGED.compareAndSet(false, true)) {
            LOG.info("ND4J {}", describe());
        }
    }
}
