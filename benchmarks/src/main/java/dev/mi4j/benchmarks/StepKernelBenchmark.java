package dev.mi4j.benchmarks;

import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.NetworkClassifier;
import dev.mi4j.core.model.Objective;
import dev.mi4j.experiments.bench.InversionBenchmark;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The inversion step kernel under JMH: the batched input gradient alone, and whole MI-Face steps
 * (gradient, update, clamp, bookkeeping) over {@value #STEPS} steps per invocation, reported per
 * step. Models are randomly initialised at the AT&amp;T size (step time does not depend on the
 * weights), the same as {@code mi4j bench invert}. Run with {@code bench/jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=4G"})
public class StepKernelBenchmark {

    /** MI-Face steps per invocation of {@link #miFaceStep()}: enough to amortise its set-up. */
    static final int STEPS = 20;

    @Param({"softmax", "mlp", "cnn"})
    public String model;

    @Param({"40", "1"})
    public int targets;

    private NetworkClassifier classifier;
    private int[] labels;
    private INDArray images;
    private INDArray gradient;

    @Setup(Level.Trial)
    public void setUp() {
        classifier = InversionBenchmark.untrainedClassifier(model);
        labels = IntStream.range(0, targets).toArray();
        Nd4j.getRandom().setSeed(7);
        images = Nd4j.rand(classifier.network().params().dataType(), classifier.inputShape().batchShape(targets));
        gradient = images.ulike();
    }

    /** The input gradient of 1 - p_label for the batch, into a reused buffer (as MI-Face calls it). */
    @Benchmark
    public InputGradient inputGradient() {
        return classifier.inputGradient(images, labels, Objective.ONE_MINUS_P, gradient);
    }

    /** MI-Face steps with parameters that never stop early (mi4j bench invert's): time per step. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public Object miFaceStep() {
        return InversionBenchmark.benchAttack(classifier, STEPS, dev.mi4j.attacks.InversionListener.none()).invert(labels);
    }
}
