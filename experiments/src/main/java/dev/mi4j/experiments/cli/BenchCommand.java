package dev.mi4j.experiments.cli;

import dev.mi4j.attacks.blackbox.QueryCost;
import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.GradientPath;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.experiments.bench.Roofline;
import dev.mi4j.experiments.bench.SameShapeGemm;
import dev.mi4j.experiments.bench.StepCost;
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
        subcommands = {BenchCommand.Invert.class, BenchCommand.Queries.class, BenchCommand.GmiStep.class, BenchCommand.DpStep.class,
                BenchCommand.GanTraining.class, BenchCommand.DaePretraining.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: invert, queries or gmi");
    }

    @Command(name = "invert", mixinStandardHelpOptions = true,
            description = "ms per MI-Face step (median after warm-up), batched vs one target at a time, against the machine's roofline (peak sgemm rate, memory bandwidth) and the same shapes' GEMMs, timed alone and in alternation with the step.")
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

        /** Steps, then as many runs of their GEMMs, in alternation ({@link InversionBenchmark#interleaved}). */
        static final int INTERLEAVE_BLOCK = 25;

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
            double singleMs = single == 0 ? Double.NaN : SameShapeGemm.median(singleMedians);
            double singleP10Ms = single == 0 ? Double.NaN : SameShapeGemm.median(singleP10s);
            List<SameShapeGemm.Rate> gemms = InversionBenchmark.denseGemms(net, targets, 3, 15);
            // The step against its GEMMs, timed in alternation (the figures above are minutes apart
            // on a machine whose speed may drift): a second run of the batched steps.
            InversionBenchmark.Interleaved inter = gemms.isEmpty() ? null
                    : InversionBenchmark.interleaved(clf, net, batch, steps, warmup, INTERLEAVE_BLOCK);
            double gemmMs = gemms.stream().mapToDouble(SameShapeGemm.Rate::medianMillis).sum();
            double gemmFlops = gemms.stream().mapToDouble(r -> 2.0 * r.m() * r.k() * r.n()).sum();
            double gemmGflops = gemms.isEmpty() ? Double.NaN : gemmFlops / (gemmMs / 1e3) / 1e9;
            // The roofline: what the machine can do (measured after the step timings, on a warm process).
            Roofline.Machine machine = Roofline.measure();
            long[] imageShape = clf.inputShape().batchShape(1);
            long[] one = java.util.Arrays.copyOfRange(imageShape, 1, imageShape.length);
            Roofline.Bound batchedBound = machine.bound(StepCost.of(net, one, targets));
            Roofline.Bound singleBound = machine.bound(StepCost.of(net, one, 1));
            double achievedGflops = batchedBound.flops() / (batched.medianStepMillis() / 1e3) / 1e9;
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
            doc.put("machine", machine);
            doc.put("rooflineBatched", roofline(batchedBound, batched.medianStepMillis(), batched.p10StepMillis(), machine));
            doc.put("rooflineSingle", roofline(singleBound, singleMs, singleP10Ms, machine));
            doc.put("stepGflops", achievedGflops);
            // The same shapes' GEMMs timed alone (not a floor: small shapes run below the peak).
            doc.put("sameShapeGemmMs", gemms.isEmpty() ? null : gemmMs);
            doc.put("sameShapeGemmGflops", gemms.isEmpty() ? null : gemmGflops);
            doc.put("stepOverSameShapeGemms", gemms.isEmpty() ? null : batched.medianStepMillis() / gemmMs);
            if (inter != null) {
                Map<String, Object> in = new LinkedHashMap<>();
                in.put("block", inter.block());
                in.put("stepMedianMs", inter.steps().medianStepMillis());
                in.put("stepP10Ms", inter.steps().p10StepMillis());
                in.put("gemmRuns", inter.gemmRuns());
                in.put("gemmMedianMs", inter.gemmMedianMillis());
                in.put("gemmP10Ms", inter.gemmP10Millis());
                in.put("stepOverGemms", inter.ratio());
                in.put("stepOverGemmsP10", inter.p10Ratio());
                doc.put("interleaved", in);
            }
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
            if (single > 0) {
                System.out.printf(Locale.ROOT, "one target: %8.2f ms/step = ms per target-step (median of %d targets x %d steps)%n",
                        singleMs, single, singleSteps);
                System.out.printf(Locale.ROOT, "batching speed-up per target-step: %.1fx (from p10 times: one target %.2f ms, %.1fx)%n",
                        singleMs / batched.perTargetStepMillis(), singleP10Ms, singleP10Ms / (batched.p10StepMillis() / targets));
            } else {
                System.out.println("one target: not timed (--single 0)");
            }
            System.out.printf(Locale.ROOT, "machine: peak sgemm %.1f GFLOP/s (%s; %s), copy bandwidth %.1f GB/s (%d MiB, read + write),"
                            + " read bandwidth %.1f GB/s (a one-row GEMM over it): memory roofline at %.1f GB/s%n",
                    machine.peakGflops(), machine.peakPath(), machine.paths().stream().map(r -> String.format(Locale.ROOT,
                            "%s %.1f", r.path(), r.gflops())).collect(java.util.stream.Collectors.joining(", ")) + " at "
                            + machine.paths().get(0).size() + "^3", machine.bandwidthGBs(), machine.copyMiB(), machine.readGBs(),
                    machine.memoryGBs());
            printRoofline("batched   ", batchedBound, batched.medianStepMillis(), batched.p10StepMillis(), machine);
            if (single > 0) {
                printRoofline("one target", singleBound, singleMs, singleP10Ms, machine);
            }
            if (!gemms.isEmpty()) {
                for (SameShapeGemm.Rate r : gemms) {
                    System.out.printf(Locale.ROOT, "  gemm %dx%dx%d%s: %.2f ms, %.1f GFLOP/s%n", r.m(), r.k(), r.n(),
                            r.transposeB() ? " (B^T)" : "", r.medianMillis(), r.gflops());
                }
                System.out.printf(Locale.ROOT, "same-shape GEMMs timed alone (not a floor): %.2f ms/step at %.1f GFLOP/s"
                        + " (%.0f%% of peak); the batched step runs its dense work at %.1f GFLOP/s%n",
                        gemmMs, gemmGflops, 100 * gemmGflops / machine.peakGflops(), gemmFlops / (batched.medianStepMillis() / 1e3) / 1e9);
                System.out.printf(Locale.ROOT, "the batched step takes %.2fx the time of its GEMMs timed alone (p10 %.2fx)%n",
                        batched.medianStepMillis() / gemmMs, batched.p10StepMillis() / gemmMs);
            }
            if (inter != null) {
                System.out.printf(Locale.ROOT, "interleaved (%d steps after %d warm-up, every %d steps %d runs of the step's GEMMs):"
                                + " step %.2f ms (p10 %.2f), its GEMMs %.2f ms (p10 %.2f): the step takes %.2fx its GEMMs (p10 %.2fx)%n",
                        inter.steps().steps() - warmup, warmup, inter.block(), inter.block(), inter.steps().medianStepMillis(),
                        inter.steps().p10StepMillis(), inter.gemmMedianMillis(), inter.gemmP10Millis(), inter.ratio(),
                        inter.p10Ratio());
            }
            System.out.printf(Locale.ROOT, "peak resident memory: %d MiB%n", rss);
            return 0;
        }

        private static void printRoofline(String label, Roofline.Bound b, double stepMs, double p10Ms, Roofline.Machine m) {
            System.out.printf(Locale.ROOT, "roofline, %s: %.3f GFLOP and %.1f MB per step -> %.2f ms at peak compute, %.2f ms at"
                            + " memory bandwidth: %s-bound, floor %.2f ms; the step takes %.2f ms (p10 %.2f) = %.0f%% of its roofline"
                            + " (p10 %.0f%%), %.1f GFLOP/s = %.0f%% of peak%n",
                    label, b.flops() / 1e9, b.bytes() / 1e6, b.computeMs(), b.memoryMs(), b.binding(), b.floorMs(), stepMs, p10Ms,
                    100 * b.fractionOf(stepMs), 100 * b.fractionOf(p10Ms), b.flops() / (stepMs / 1e3) / 1e9,
                    100 * b.flops() / (stepMs / 1e3) / 1e9 / m.peakGflops());
        }

        private static Map<String, Object> roofline(Roofline.Bound b, double stepMs, double p10Ms, Roofline.Machine m) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("flops", b.flops());
            r.put("bytes", b.bytes());
            r.put("computeBoundMs", b.computeMs());
            r.put("memoryBoundMs", b.memoryMs());
            r.put("binding", b.binding());
            r.put("floorMs", b.floorMs());
            r.put("stepMs", stepMs);
            r.put("fractionOfRoofline", b.fractionOf(stepMs));
            r.put("fractionOfRooflineP10", b.fractionOf(p10Ms));
            r.put("fractionOfPeakCompute", b.flops() / (stepMs / 1e3) / 1e9 / m.peakGflops());
            return r;
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
            double singleMs = single == 0 ? Double.NaN : SameShapeGemm.median(medians);
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
            return printFigures(doc, json, () -> {
                System.out.printf(Locale.ROOT, "target %s (%s path) at %s; %s%n", model, clf.gradientPath().id(), g.imageShape(), g.describe());
                System.out.printf(Locale.ROOT, "batched:      %8.1f ms/step for %d identities x %d restarts (p10 %.1f, p90 %.1f), %.1f ms per identity-step%n",
                        batched.medianStepMillis(), identities, restarts, batched.p10StepMillis(), batched.p90StepMillis(),
                        batched.perTargetStepMillis());
                System.out.printf(Locale.ROOT, "one identity: %8.1f ms/step (%d restarts; median of %d identities x %d steps)%n",
                        singleMs, restarts, single, singleSteps);
                System.out.printf(Locale.ROOT, "batching speed-up per identity-step: %.1fx; GMI's 1500 steps: %.0f s per identity batched, %.0f s alone%n",
                        singleMs / batched.perTargetStepMillis(), batched.perTargetStepMillis() * 1.5, singleMs * 1.5);
            });
        }
    }

    @Command(name = "dp", mixinStandardHelpOptions = true,
            description = "ms per DP-SGD minibatch gradient (per-example gradients, clipping, noise) against the plain minibatch"
                    + " gradient of the same network on the same AT&T images (median after warm-up; the updater step, the same"
                    + " for both, is left out).")
    static final class DpStep implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--model", defaultValue = "cnn", paramLabel = "ARCH", description = "softmax, mlp, cnn or eval. Default: ${DEFAULT-VALUE}.")
        String model;

        @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "Images in the minibatch. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--defense", defaultValue = "dp:sigma=1,clip=1", paramLabel = "SPEC",
                description = "The DP-SGD spec (as mi4j train --defense). Default: ${DEFAULT-VALUE}.")
        String defense;

        @Option(names = "--reps", defaultValue = "20", paramLabel = "N", description = "Timed steps of each kind. Default: ${DEFAULT-VALUE}.")
        int reps;

        @Option(names = "--warmup", defaultValue = "3", paramLabel = "N", description = "Untimed steps of each kind first. Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            common.apply();
            if (batch < 1 || reps < 1 || warmup < 0) {
                throw new Mi4jException("--batch and --reps must be >= 1, --warmup >= 0");
            }
            dev.mi4j.core.model.Architecture arch = dev.mi4j.core.model.Architecture.parse(model);
            dev.mi4j.defenses.training.TrainingDefense dp;
            try {
                dp = dev.mi4j.defenses.training.TrainingDefenses.parse(defense);
            } catch (IllegalArgumentException e) {
                throw new Mi4jException("--defense: " + e.getMessage(), e);
            }
            if (!dp.name().equals("dp")) {
                throw new Mi4jException("--defense: expected a dp:... spec, got " + defense);
            }
            dev.mi4j.core.data.LabeledImages data = new dev.mi4j.experiments.config.ExperimentConfig.DatasetConfig("att-faces", null)
                    .load(java.util.Optional.empty()).images();
            var r = dev.mi4j.experiments.bench.TrainingBenchmarks.dpStep(arch, data, batch, dp, warmup, reps);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", arch.id());
            doc.put("imageShape", data.shape().toString());
            doc.put("batch", Math.min(batch, data.size()));
            doc.put("defense", defense);
            doc.put("perExampleGradients", r.method());
            doc.put("plainMedianMs", r.plain().medianStepMillis());
            doc.put("plainP10Ms", r.plain().p10StepMillis());
            doc.put("plainP90Ms", r.plain().p90StepMillis());
            doc.put("dpMedianMs", r.dp().medianStepMillis());
            doc.put("dpP10Ms", r.dp().p10StepMillis());
            doc.put("dpP90Ms", r.dp().p90StepMillis());
            doc.put("dpOverPlain", r.dp().medianStepMillis() / r.plain().medianStepMillis());
            return printFigures(doc, json, () -> {
                System.out.printf(Locale.ROOT, "model %s at %s, minibatch of %d AT&T images, %s (per-example gradients: %s)%n",
                        arch.id(), data.shape(), Math.min(batch, data.size()), defense, r.method());
                System.out.printf(Locale.ROOT, "plain minibatch gradient: %8.2f ms (p10 %.2f, p90 %.2f)%n", r.plain().medianStepMillis(),
                        r.plain().p10StepMillis(), r.plain().p90StepMillis());
                System.out.printf(Locale.ROOT, "DP-SGD gradient:          %8.2f ms (p10 %.2f, p90 %.2f) = %.1fx the plain one%n",
                        r.dp().medianStepMillis(), r.dp().p10StepMillis(), r.dp().p90StepMillis(), r.dp().medianStepMillis() / r.plain().medianStepMillis());
            });
        }
    }

    @Command(name = "gan", mixinStandardHelpOptions = true,
            description = "GAN training throughput (images/s) on the public faces of the public/private protocol (GMI's prior),"
                    + " mi4j's GAN settings (batch 64, DCGAN of the given width).")
    static final class GanTraining implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--epochs", defaultValue = "2", paramLabel = "N", description = "Epochs timed (after one untimed epoch). Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--gan-width", defaultValue = "16", paramLabel = "W", description = "DCGAN width. Default: ${DEFAULT-VALUE}.")
        int width;

        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            common.apply();
            if (epochs < 1 || width < 1) {
                throw new Mi4jException("--epochs and --gan-width must be >= 1");
            }
            var faces = dev.mi4j.datasets.PublicPrivateProtocol.build(dev.mi4j.datasets.PublicPrivateProtocol.Spec.DEFAULT,
                    dev.mi4j.datasets.DatasetResolver.fromEnvironment(), Map.of());
            org.nd4j.linalg.api.ndarray.INDArray images = faces.publicSet().images();
            dev.mi4j.core.train.GanConfig cfg = dev.mi4j.core.train.GanConfig.DEFAULTS.withWidth(width);
            dev.mi4j.experiments.bench.TrainingBenchmarks.ganTraining(images, cfg, 1);   // warm-up: JIT, oneDNN primitives
            var r = dev.mi4j.experiments.bench.TrainingBenchmarks.ganTraining(images, cfg, epochs);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("images", images.size(0));
            doc.put("imagesPerEpoch", r.images());
            doc.put("imageShape", List.of(images.size(1), images.size(2), images.size(3)));
            doc.put("width", width);
            doc.put("batch", cfg.batchSize());
            doc.put("epochs", epochs);
            doc.put("millis", r.millis());
            doc.put("imagesPerSecond", r.imagesPerSecond());
            doc.put("msPerBatch", 1000.0 * cfg.batchSize() / r.imagesPerSecond());
            return printFigures(doc, json, () -> {
                System.out.printf(Locale.ROOT, "GAN (DCGAN width %d) on %d public faces %dx%d (%d per epoch with mirrors), batch %d%n",
                        width, images.size(0), images.size(2), images.size(3), r.images(), cfg.batchSize());
                System.out.printf(Locale.ROOT, "%d epochs in %.1f s: %.0f images/s, %.1f ms per batch (discriminator + generator update)%n",
                        epochs, r.millis() / 1e3, r.imagesPerSecond(), 1000.0 * cfg.batchSize() / r.imagesPerSecond());
            });
        }
    }

    @Command(name = "dae", mixinStandardHelpOptions = true,
            description = "The DAE target's autoencoder pretraining (AT&T, the reproduction's split: 7 images per identity,"
                    + " seed 42; batch 10; 10304-1000-300-1000-10304): ms per minibatch update, and one Adam update of its"
                    + " parameters by ND4J's op against mi4j's fused pass.")
    static final class DaePretraining implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--epochs", defaultValue = "5", paramLabel = "N", description = "Epochs timed (after one untimed epoch). Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--reps", defaultValue = "20", paramLabel = "N", description = "Timed Adam updates of each kind. Default: ${DEFAULT-VALUE}.")
        int reps;

        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            common.apply();
            if (epochs < 1 || reps < 1) {
                throw new Mi4jException("--epochs and --reps must be >= 1");
            }
            dev.mi4j.core.data.LabeledImages images = new dev.mi4j.experiments.config.ExperimentConfig.DatasetConfig("att-faces", null)
                    .load(java.util.Optional.empty()).images();
            dev.mi4j.core.data.LabeledImages train = dev.mi4j.datasets.Splits.perIdentity(images, 7, 42).train();
            var r = dev.mi4j.experiments.bench.TrainingBenchmarks.daePretraining(train, epochs);
            long params = r.params();
            var adam = dev.mi4j.experiments.bench.TrainingBenchmarks.adamUpdate(params, 3, reps);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("images", train.size());
            doc.put("imageShape", train.shape().toString());
            doc.put("params", params);
            doc.put("epochs", epochs);
            doc.put("iterations", r.iterations());
            doc.put("millis", r.millis());
            doc.put("msPerIteration", r.msPerIteration());
            doc.put("reconstructionMse", r.reconstructionMse());
            doc.put("adamNd4jMedianMs", adam.nd4j().medianStepMillis());
            doc.put("adamNd4jP10Ms", adam.nd4j().p10StepMillis());
            doc.put("adamFusedMedianMs", adam.fused().medianStepMillis());
            doc.put("adamFusedP10Ms", adam.fused().p10StepMillis());
            return printFigures(doc, json, () -> {
                System.out.printf(Locale.ROOT, "DAE autoencoder, %d parameters, %d training images %s, batch 10%n", params, train.size(),
                        train.shape());
                System.out.printf(Locale.ROOT, "one Adam update: ND4J op %.1f ms (p10 %.1f), fused %.1f ms (p10 %.1f)%n",
                        adam.nd4j().medianStepMillis(), adam.nd4j().p10StepMillis(), adam.fused().medianStepMillis(),
                        adam.fused().p10StepMillis());
                System.out.printf(Locale.ROOT, "pretraining: %d epochs (%d updates) in %.1f s = %.1f ms per update; reconstruction mse %.5f%n",
                        epochs, r.iterations(), r.millis() / 1e3, r.msPerIteration(), r.reconstructionMse());
            });
        }
    }

    /**
     * A bench's figures: with {@code json} the document, peak resident memory and the backend added;
     * else the backend line, the lines {@code text} prints, and the peak resident memory.
     */
    static int printFigures(Map<String, Object> doc, boolean json, Runnable text) {
        long rss = InversionBenchmark.peakRssMiB();
        doc.put("peakRssMiB", rss);
        doc.put("backend", BackendInfo.describe());
        if (json) {
            System.out.println(Json.toJson(doc));
            return 0;
        }
        System.out.printf(Locale.ROOT, "backend: %s%n", BackendInfo.label());
        text.run();
        System.out.printf(Locale.ROOT, "peak resident memory: %d MiB%n", rss);
        return 0;
    }
}
