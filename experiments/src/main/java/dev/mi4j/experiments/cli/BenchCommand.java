package dev.mi4j.experiments.cli;

import dev.mi4j.attacks.blackbox.QueryCost;
import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.GradientPath;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.experiments.bench.GemmFloor;
import dev.mi4j.experiments.bench.InversionBenchmark;
import dev.mi4j.experiments.bench.InversionBenchmark.StepTimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** mi4j bench: performance figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
        subcommands = {BenchCommand.Invert.class, BenchCommand.Queries.class, BenchCommand.GmiStep.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: invert, queries or gmi");
    }

    @Command(name = "invert", mixinStandardHelpOptions = true,
            description = "ms per MI-Face step (median after warm-up), batched vs one target at a time, against the GEMM floor of the same shapes.")
    static final class Invert implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--model", defaultValue = "mlp", paramLabel = "MODEL",
                description = "softmax, mlp, cnn, eval (randomly initialised: timing does not depend on the weights) or a model .zip. Default: ${DEFAULT-VALUE}.")
        String model;

        @Option(names = "--targets", defaultValue = "40", paramLabel = "N", description = "Targets in the batch. Default: ${DEFAULT-VALUE}.")
        int targets;

        @Option(names = "--steps", defaultValue = "200", paramLabel = "N", description = "Batched steps. Default: ${DEFAULT-VALUE}.")
        int steps;

        @Option(names = "--warmup", defaultValue = "10", paramLabel = "N", description = "Steps left out of the median. Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Option(names = "--single", defaultValue = "3", paramLabel = "N",
                description = "Targets timed one at a time (each for min(steps, 60) steps). Default: ${DEFAULT-VALUE}.")
        int single;

        @Option(names = "--gradient", defaultValue = "auto", paramLabel = "PATH",
                description = "Input-gradient engine: fast (mi4j's own, the zoo's layers only), general (DL4J's backprop in"
                        + " inference mode, any network) or auto (fast where it knows every layer). Default: ${DEFAULT-VALUE}.")
        String gradient;

        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            common.apply();
            if (targets < 1 || steps <= warmup || single < 0) {
                throw new Mi4jException("--targets must be >= 1, --steps > --warmup and --single >= 0");
            }
            GradientPath path;
            try {
                path = GradientPath.parse(gradient);
            } catch (IllegalArgumentException e) {
                throw new Mi4jException("--" + e.getMessage());
            }
            NetworkClassifier clf;
            if (model.endsWith(".zip") || Files.exists(Path.of(model))) {
                clf = ModelStore.load(Path.of(model)).classifier(path);
            } else {
                clf = InversionBenchmark.untrainedClassifier(model, path);
            }
            MultiLayerNetwork net = clf.network();
            if (targets > clf.numClasses()) {
                throw new Mi4jException("--targets must be <= the model's " + clf.numClasses() + " classes, got " + targets);
            }
            Map<String, Object> backend = BackendInfo.describe();
            int[] batch = IntStream.range(0, targets).toArray();
            StepTimes batched = InversionBenchmark.time(clf, batch, steps, warmup);
            int singleSteps = Math.min(steps, 60);
            double[] singleMedians = new double[single];
            double[] singleP10s = new double[single];
            for (int i = 0; i < single; i++) {
                StepTimes one = InversionBenchmark.time(clf, new int[] {i}, singleSteps, Math.min(warmup, singleSteps / 3));
                singleMedians[i] = one.medianStepMillis();
                singleP10s[i] = one.p10StepMillis();
            }
            double singleMs = single == 0 ? Double.NaN : GemmFloor.median(singleMedians);
            double singleP10Ms = single == 0 ? Double.NaN : GemmFloor.median(singleP10s);
            List<GemmFloor.Rate> floor = InversionBenchmark.denseFloor(net, targets, 3, 15);
            double floorMs = floor.stream().mapToDouble(GemmFloor.Rate::medianMillis).sum();
            double flops = floor.stream().mapToDouble(r -> 2.0 * r.m() * r.k() * r.n()).sum();
            double achievedGflops = flops / (batched.medianStepMillis() / 1e3) / 1e9;
            double gemmGflops = floor.isEmpty() ? Double.NaN : flops / (floorMs / 1e3) / 1e9;
            // Best-case pair (p10 step vs fastest GEMMs): less sensitive to other processes on the machine.
            double floorMinMs = floor.stream().mapToDouble(GemmFloor.Rate::minMillis).sum();
            double bestFraction = floorMinMs / batched.p10StepMillis();
            long rss = InversionBenchmark.peakRssMiB();

            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model);
            doc.put("gradientPath", clf.gradientPath().id());
            doc.put("gradientPathRequested", path.id());
            doc.put("parameters", net.numParams());
            doc.put("targets", targets);
            doc.put("steps", steps);
            doc.put("warmup", warmup);
            doc.put("batchedMedianStepMs", batched.medianStepMillis());
            doc.put("batchedP90StepMs", batched.p90StepMillis());
            doc.put("batchedP10StepMs", batched.p10StepMillis());
            doc.put("batchedPerTargetStepMs", batched.perTargetStepMillis());
            doc.put("singleTargets", single);
            doc.put("singleMedianStepMs", singleMs);
            doc.put("batchingSpeedup", singleMs / batched.perTargetStepMillis());
            doc.put("singleP10StepMs", singleP10Ms);
            doc.put("batchingSpeedupP10", singleP10Ms / (batched.p10StepMillis() / targets));
            doc.put("gemmFloorMs", floor.isEmpty() ? null : floorMs);
            doc.put("gemmGflops", floor.isEmpty() ? null : gemmGflops);
            doc.put("stepGflops", floor.isEmpty() ? null : achievedGflops);
            doc.put("fractionOfGemmRate", floor.isEmpty() ? null : achievedGflops / gemmGflops);
            doc.put("gemmFloorMinMs", floor.isEmpty() ? null : floorMinMs);
            doc.put("fractionOfGemmRateBestCase", floor.isEmpty() ? null : bestFraction);
            doc.put("peakRssMiB", rss);
            doc.put("backend", backend);
            if (json) {
                System.out.println(Json.toJson(doc));
                return 0;
            }
            System.out.printf(Locale.ROOT, "backend: %s, BLAS %s, %s OMP threads, %s cores%n", BackendInfo.label(),
                    backend.get("blas"), backend.get("ompThreads"), backend.get("cpuCores"));
            if (backend.containsKey("devices")) {
                System.out.println("devices: " + backend.get("devices"));
            }
            System.out.printf(Locale.ROOT, "model %s (%,d parameters), %d targets, %d steps (median after %d warm-up steps)%n",
                    model, net.numParams(), targets, steps, warmup);
            System.out.printf(Locale.ROOT, "gradient path: %s (requested %s)%n", clf.gradientPath().id(), path.id());
            System.out.printf(Locale.ROOT, "batched:    %8.2f ms/step (p10 %.2f, p90 %.2f), %7.3f ms per target-step%n",
                    batched.medianStepMillis(), batched.p10StepMillis(), batched.p90StepMillis(), batched.perTargetStepMillis());
            System.out.printf(Locale.ROOT, "one target: %8.2f ms/step = ms per target-step (median of %d targets x %d steps)%n",
                    singleMs, single, singleSteps);
            System.out.printf(Locale.ROOT, "batching speed-up per target-step: %.1fx (from p10 times: one target %.2f ms, %.1fx)%n",
                    singleMs / batched.perTargetStepMillis(), singleP10Ms, singleP10Ms / (batched.p10StepMillis() / targets));
            if (!floor.isEmpty()) {
                for (GemmFloor.Rate r : floor) {
                    System.out.printf(Locale.ROOT, "  gemm %dx%dx%d%s: %.2f ms, %.1f GFLOP/s%n", r.m(), r.k(), r.n(),
                            r.transposeB() ? " (B^T)" : "", r.medianMillis(), r.gflops());
                }
                System.out.printf(Locale.ROOT, "GEMM floor: %.2f ms/step at %.1f GFLOP/s; the step achieves %.1f GFLOP/s = %.0f%% of the GEMM rate%n",
                        floorMs, gemmGflops, achievedGflops, 100 * achievedGflops / gemmGflops);
                System.out.printf(Locale.ROOT, "best case: step p10 %.2f ms vs fastest GEMMs %.2f ms = %.0f%% of the GEMM rate (%.1f GFLOP/s)%n",
                        batched.p10StepMillis(), floorMinMs, 100 * bestFraction, flops / (batched.p10StepMillis() / 1e3) / 1e9);
            } else {
                System.out.println("GEMM floor: n/a (convolutional network)");
            }
            System.out.printf(Locale.ROOT, "peak resident memory: %d MiB%n", rss);
            return 0;
        }
    }

    @Command(name = "queries", mixinStandardHelpOptions = true,
            description = "Cost of one black-box query when many perturbed images go in one forward pass, against one image per pass.")
    static final class Queries implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--model", defaultValue = "mlp", paramLabel = "ARCH",
                description = "softmax, mlp, cnn or eval, randomly initialised at the AT&T shape. Default: ${DEFAULT-VALUE}.")
        String model;

        @Option(names = "--batch", defaultValue = "256", paramLabel = "N", description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--reps", defaultValue = "10", paramLabel = "N", description = "Timed calls of each kind (the median counts), after 3 untimed ones. Default: ${DEFAULT-VALUE}.")
        int reps;

        @Override
        public Integer call() {
            common.apply();
            NetworkClassifier clf = InversionBenchmark.untrainedClassifier(model);
            QueryCost q = QueryCost.measure(clf, clf.inputShape(), batch, reps);
            System.out.printf(Locale.ROOT, "model %s: %.1f us per query in batches of %d, %.1f us per single-image query: "
                            + "a batched query costs 1/%.1f of a single forward pass%n",
                    model, q.batchedMicrosPerQuery(), batch, q.singleMicrosPerQuery(), q.speedup());
            return 0;
        }
    }

    @Command(name = "gmi", mixinStandardHelpOptions = true,
            description = "ms per GMI latent step (target, generator and discriminator gradients), all identities x restarts"
                    + " in one batch vs one identity (its restarts) at a time (median after warm-up).")
    static final class GmiStep implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--model", defaultValue = "cnn", paramLabel = "ARCH",
                description = "softmax, mlp, cnn or eval, randomly initialised at the GAN's image size. Default: ${DEFAULT-VALUE}.")
        String model;

        @Option(names = "--gan", paramLabel = "ZIP", description = "A GAN saved by mi4j train --model gan (default: an untrained one).")
        Path gan;

        @Option(names = "--gan-width", defaultValue = "16", paramLabel = "W", description = "Width of the untrained GAN. Default: ${DEFAULT-VALUE}.")
        int width;

        @Option(names = "--image-size", defaultValue = "32", paramLabel = "PX", description = "Side of the untrained GAN's images. Default: ${DEFAULT-VALUE}.")
        int size;

        @Option(names = "--identities", defaultValue = "20", paramLabel = "N", description = "Identities in the batch. Default: ${DEFAULT-VALUE}.")
        int identities;

        @Option(names = "--restarts", defaultValue = "5", paramLabel = "N", description = "Restarts per identity (GMI: 5). Default: ${DEFAULT-VALUE}.")
        int restarts;

        @Option(names = "--steps", defaultValue = "120", paramLabel = "N", description = "Batched steps. Default: ${DEFAULT-VALUE}.")
        int steps;

        // The first few dozen batched steps run several times slower (JIT, oneDNN primitives, allocator): measured 660 vs 219 ms.
        @Option(names = "--warmup", defaultValue = "20", paramLabel = "N", description = "Steps left out of the median. Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Option(names = "--single", defaultValue = "3", paramLabel = "N",
                description = "Identities timed one at a time (each for min(steps, 20) steps). Default: ${DEFAULT-VALUE}.")
        int single;

        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            common.apply();
            if (identities < 1 || restarts < 1 || steps <= warmup || single < 0 || single > identities) {
                throw new Mi4jException("--identities and --restarts must be >= 1, --steps > --warmup, 0 <= --single <= --identities");
            }
            dev.mi4j.core.model.Gan g = gan != null ? dev.mi4j.core.model.GanStore.load(gan)
                    : dev.mi4j.experiments.bench.GmiBenchmark.untrainedGan(new dev.mi4j.core.image.ImageShape(1, size, size), width);
            NetworkClassifier clf = dev.mi4j.experiments.bench.GmiBenchmark.untrainedTarget(model, g.imageShape(),
                    Math.max(2, identities));
            int[] batch = IntStream.range(0, identities).toArray();
            StepTimes batched = dev.mi4j.experiments.bench.GmiBenchmark.time(clf, g, batch, restarts, steps, warmup);
            int singleSteps = Math.min(steps, 20);
            double[] medians = new double[single];
            for (int i = 0; i < single; i++) {
                medians[i] = dev.mi4j.experiments.bench.GmiBenchmark.time(clf, g, new int[] {i}, restarts, singleSteps,
                        Math.min(warmup, singleSteps / 3)).medianStepMillis();
            }
            double singleMs = single == 0 ? Double.NaN : GemmFloor.median(medians);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model);
            doc.put("gradientPath", clf.gradientPath().id());
            doc.put("gan", g.describe());
            doc.put("imageShape", g.imageShape().toString());
            doc.put("identities", identities);
            doc.put("restarts", restarts);
            doc.put("steps", steps);
            doc.put("warmup", warmup);
            doc.put("batchedMedianStepMs", batched.medianStepMillis());
            doc.put("batchedP10StepMs", batched.p10StepMillis());
            doc.put("batchedP90StepMs", batched.p90StepMillis());
            doc.put("batchedPerIdentityStepMs", batched.perTargetStepMillis());
            doc.put("singleIdentities", single);
            doc.put("singleMedianStepMs", singleMs);
            doc.put("batchingSpeedup", singleMs / batched.perTargetStepMillis());
            doc.put("secondsPerIdentityFor1500Steps", batched.perTargetStepMillis() * 1500 / 1000);
            doc.put("backend", BackendInfo.describe());
            if (json) {
                System.out.println(Json.toJson(doc));
                return 0;
            }
            System.out.printf(Locale.ROOT, "backend: %s%n", BackendInfo.label());
            System.out.printf(Locale.ROOT, "target %s (%s path) at %s; %s%n", model, clf.gradientPath().id(), g.imageShape(), g.describe());
            System.out.printf(Locale.ROOT, "batched:      %8.1f ms/step for %d identities x %d restarts (p10 %.1f, p90 %.1f), %.1f ms per identity-step%n",
                    batched.medianStepMillis(), identities, restarts, batched.p10StepMillis(), batched.p90StepMillis(),
                    batched.perTargetStepMillis());
            System.out.printf(Locale.ROOT, "one identity: %8.1f ms/step (%d restarts; median of %d identities x %d steps)%n",
                    singleMs, restarts, single, singleSteps);
            System.out.printf(Locale.ROOT, "batching speed-up per identity-step: %.1fx; GMI's 1500 steps: %.0f s per identity batched, %.0f s alone%n",
                    singleMs / batched.perTargetStepMillis(), batched.perTargetStepMillis() * 1.5, singleMs * 1.5);
            return 0;
        }
    }
}
