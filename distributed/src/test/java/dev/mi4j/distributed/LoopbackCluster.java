package dev.mi4j.distributed;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A Spark standalone cluster on this machine's loopback, from the project's own jars (the test
 * classpath): one master and workers of one core each, every one its own JVM on ports chosen free
 * at run time. Workers start executors as Spark does on a real cluster (a child JVM per
 * application), from {@code SPARK_HOME/jars} (an empty folder here) plus the classpath the driver
 * gives executors. {@link #close} kills every process it started and their children.
 */
final class LoopbackCluster implements AutoCloseable {

    private static final Pattern ALIVE = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Path dir;
    private final Process master;
    private final int masterPort;
    private final int masterUiPort;
    private final List<Process> workers = new ArrayList<>();

    LoopbackCluster(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
        masterPort = freePort();
        masterUiPort = freePort();
        master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort));
        waitForAliveWorkers(0, 90);
    }

    String url() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Starts a worker of one core and {@code memory} (e.g. "2g") and waits until the master has registered it. */
    Process addWorker(String memory) throws IOException, InterruptedException {
        String name = "worker" + workers.size();
        Path work = dir.resolve(name + "-work");
        Files.createDirectories(work);
        Process w = start(name, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port",
                String.valueOf(freePort()), "--webui-port", String.valueOf(freePort()), "--cores", "1", "--memory", memory,
                "--work-dir", work.toString(), url());
        workers.add(w);
        waitForAliveWorkers((int) workers.stream().filter(Process::isAlive).count(), 90);
        return w;
    }

    /** Kills a worker and the executors it started (a machine lost), as kill -9 would. */
    static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptions().split(" ")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOCAL_DIRS", dir.resolve(name + "-tmp").toString());
        return pb.start();
    }

    /** Waits until the master's status page (its JSON view) answers and counts {@code n} alive workers. */
    private void waitForAliveWorkers(int n, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        String last = "(no answer)";
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new IllegalStateException("the Spark master exited:\n" + log("master"));
            }
            try {
                last = http.send(status, HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = ALIVE.matcher(last);
                if (m.find() && Integer.parseInt(m.group(1)) == n) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the master did not count " + n + " alive worker(s) within " + seconds + " s: "
                + last + "\n" + log("master"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process w : workers) {
            kill(w);
        }
        kill(master);
    }
}
