package dev.mi4j.experiments.bench;

import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackRegistry;
import dev.mi4j.attacks.InversionAttack;
import dev.mi4j.attacks.InversionListener;
import java.util.Map;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.GradientPath;
import dev.mi4j.core.model.NetworkClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Times the MI-Face loop itself (gradient, update, clamp, stopping bookkeeping), step by step,
 * batched over n targets and one target at a time, and the same dense shapes' GEMMs timed alone.
 */
public final class InversionBenchmark {

    /** Per-step timings of one configuration. */
    public record StepTimes(int targets, int steps, int warmup, double medianStepMillis, double p90StepMillis,
                            double p10StepMillis) {
        public double perTargetStepMillis() {
            return medianStepMillis / targets;
        }

        /** The statistics of timed steps: median, p90 and p10 (on a shared machine, the least-disturbed steps). */
        public static StepTimes of(int targets, int steps, int warmup, double[] timedMillis) {
            double[] sorted = timedMillis.clone();
            java.util.Arrays.sort(sorted);
            double p90 = sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))];
            double p10 = sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(0.1 * sorted.length)];
            return new StepTimes(targets, steps, warmup, SameShapeGemm.median(timedMillis), p90, p10);
        }

        /** From an attack listener's time stamps (one before the first step, one after each): the steps after {@code warmup}. */
        public static StepTimes fromStamps(int targets, List<Long> stamps, int warmup) {
            double[] d = new double[Math.max(0, stamps.size() - 1 - warmup)];
            for (int i = warmup; i < stamps.size() - 1; i++) {
                d[i - warmup] = (stamps.get(i + 1) - stamps.get(i)) / 1e6;
            }
            return of(targets, stamps.size() - 1, warmup, d);
        }
    }

    private InversionBenchmark() {
    }

    /**
     * Parameters that never stop early: the window never fills (beta = steps) and a tiny step
     * keeps p_label far from gamma, so every step does the full work.
     */
    public static AttackParams benchParams(int steps, long seed) {
        return AttackRegistry.get(BENCH_ATTACK).defaults().with(Map.of("alpha", steps, "beta", steps, "gamma", 0.99,
                "gammaMode", "confidence", "lambda", 1e-4, "objective", "one_minus_p", "init", "uniform", "seed", seed));
    }

    /** The attack whose step is timed: MI-Face, the step every gradient attack shares. */
    public static final String BENCH_ATTACK = "mi-face";

    /** The benchmark's attack on {@code model} with {@link #benchParams}, reporting to {@code listener}. */
    public static InversionAttack benchAttack(DifferentiableClassifier model, int steps, InversionListener listener) {
        AttackParams p = benchParams(steps, 1);
        return p.spec().create(p, AttackInputs.of(model).withListener(listener));
    }

    /**
     * A randomly initialised classifier of the given architecture at the AT&amp;T size (1x112x92,
     * 40 classes, seed 42): step time does not depend on the weights.
     */
    public static NetworkClassifier untrainedClassifier(String architecture) {
        return untrainedClassifier(architecture, GradientPath.AUTO);
    }

    /** As {@link #untrainedClassifier(String)}, its input gradients from the given engine. */
    public static NetworkClassifier untrainedClassifier(String architecture, GradientPath path) {
        ImageShape att = new ImageShape(1, 112, 92);
        return new NetworkClassifier(Architecture.parse(architecture).build(att, 40, 42), att, path);
    }

    /** Runs the benchmark attack for {@code steps} steps on the given targets and returns the step-time statistics. */
    public static StepTimes time(DifferentiableClassifier model, int[] targets, int steps, int warmup) {
        List<Long> stamps = new ArrayList<>(steps + 1);
        InversionAttack attack = benchAttack(model, steps, (it, active, cost) -> stamps.add(System.nanoTime()));
        stamps.add(System.nanoTime());
        attack.invert(targets);
        return StepTimes.fromStamps(targets.length, stamps, warmup);
    }

    /**
     * The step against its own GEMMs, timed in alternation on the same process so that a machine
     * whose speed drifts (a shared VM) slows both alike: after every {@code block} timed steps, the
     * step's dense GEMMs (forward and backward of every dense layer, operands of the same shapes and
     * layouts, {@link SameShapeGemm.Operands}) run {@code block} times, each run timed as one sum.
     * The step after a GEMM block starts its clock anew. Null for a network with convolutions.
     */
    public static Interleaved interleaved(DifferentiableClassifier model, MultiLayerNetwork net, int[] targets, int steps,
                                          int warmup, int block) {
        List<SameShapeGemm.Operands> gemms = new ArrayList<>();
        for (int[] g : denseShapes(net, targets.length)) {
            gemms.add(new SameShapeGemm.Operands(g[0], g[1], g[2], g[3] == 1));
        }
        if (gemms.isEmpty()) {
            return null;
        }
        double[] stepMs = new double[steps];
        List<Double> gemmMs = new ArrayList<>();
        int[] done = {0};
        long[] start = {0};
        InversionAttack attack = benchAttack(model, steps, (it, active, cost) -> {
            long now = System.nanoTime();
            int i = done[0]++;
            if (i < steps) {
                stepMs[i] = (now - start[0]) / 1e6;
            }
            if (i >= warmup && (i - warmup) % block == block - 1) {
                for (int r = 0; r < block; r++) {
                    long ns = 0;
                    for (SameShapeGemm.Operands g : gemms) {
                        ns += g.run();
                    }
                    gemmMs.add(ns / 1e6);
                }
            }
            start[0] = System.nanoTime();
        });
        start[0] = System.nanoTime();
        attack.invert(targets);
        int timed = Math.min(done[0], steps);
        StepTimes st = StepTimes.of(targets.length, timed, warmup,
                java.util.Arrays.copyOfRange(stepMs, Math.min(warmup, timed), timed));
        StepTimes gt = StepTimes.of(1, gemmMs.size(), 0, gemmMs.stream().mapToDouble(Double::doubleValue).toArray());
        return new Interleaved(st, gt.medianStepMillis(), gt.p10StepMillis(), gemmMs.size(), block);
    }

    /** {@link #interleaved}'s result: the steps, and the median and p10 of their GEMMs' runs. */
    public record Interleaved(StepTimes steps, double gemmMedianMillis, double gemmP10Millis, int gemmRuns, int block) {
        /** Median step over median GEMM run. */
        public double ratio() {
            return steps.medianStepMillis() / gemmMedianMillis;
        }

        /** p10 step over p10 GEMM run: the least-disturbed of each. */
        public double p10Ratio() {
            return steps.p10StepMillis() / gemmP10Millis;
        }
    }

    /**
     * The GEMMs of a dense network's input-gradient step, timed alone: per dense layer, the forward
     * [n x in]*[in x out] and the backward [n x out]*[out x in]^T. Empty for convolutional nets.
     */
    public static List<SameShapeGemm.Rate> denseGemms(MultiLayerNetwork net, int n, int warmup, int reps) {
        List<SameShapeGemm.Rate> rates = new ArrayList<>();
        for (int[] g : denseShapes(net, n)) {
            rates.add(SameShapeGemm.measure(g[0], g[1], g[2], g[3] == 1, warmup, reps));
        }
        return rates;
    }

    /** {@link #denseGemms}' shapes, {m, k, n, transposeB (1 or 0)} each, without timing them. */
    static List<int[]> denseShapes(MultiLayerNetwork net, int n) {
        List<int[]> shapes = new ArrayList<>();
        for (Layer l : net.getLayers()) {
            if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer) {
                return List.of();
            }
            INDArray w = l.getParam("W");
            if (w == null) {
                continue;
            }
            int in = (int) w.size(0);
            int out = (int) w.size(1);
            shapes.add(new int[] {n, in, out, 0});
            shapes.add(new int[] {n, out, in, 1});
        }
        return shapes;
    }

    /** Peak resident memory of this process (VmHWM) in MiB, or -1 where /proc is unavailable. */
    public static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
