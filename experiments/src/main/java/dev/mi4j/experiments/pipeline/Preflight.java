package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cheap checks before an inversion starts, so a run does not die hours in for want of disk or
 * memory: the output folder's file system must hold the images the run will write, and the
 * target model's parameters must fit in the memory the JVM may use. Each refusal says what to change.
 *
 * <p>The free-space and memory-limit sources are replaceable (tests inject tiny values instead of
 * filling a disk).
 */
public final class Preflight {

    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    private static final long MIB = 1L << 20;

    /** Usable bytes on the file system that holds a folder. */
    @FunctionalInterface
    public interface FreeSpace {
        long usableBytes(Path dir) throws IOException;
    }

    /** Memory the process may use: heap and native (JavaCPP) bytes. */
    public record MemoryLimits(long maxHeapBytes, long maxNativeBytes) {
        static MemoryLimits ofThisJvm() {
            long nativeMax;
            try {
                nativeMax = org.bytedeco.javacpp.Pointer.maxBytes();
            } catch (Throwable t) {   // JavaCPP absent or not loadable: no native limit known
                nativeMax = Long.MAX_VALUE;
            }
            return new MemoryLimits(Runtime.getRuntime().maxMemory(), nativeMax <= 0 ? Long.MAX_VALUE : nativeMax);
        }
    }

    public static final FreeSpace FILE_STORE = Preflight::fileStoreUsable;

    private static volatile FreeSpace freeSpace = FILE_STORE;
    private static volatile java.util.function.Supplier<MemoryLimits> memoryLimits = MemoryLimits::ofThisJvm;

    private Preflight() {
    }

    /** Replaces the free-space source (null restores the real one). */
    public static void freeSpaceSource(FreeSpace source) {
        freeSpace = source == null ? FILE_STORE : source;
    }

    /** Replaces the memory-limit source (null restores the real one). */
    public static void memoryLimitsSource(java.util.function.Supplier<MemoryLimits> source) {
        memoryLimits = source == null ? MemoryLimits::ofThisJvm : source;
    }

    /**
     * Upper bound, in bytes, of what one inversion run writes: a PNG per target, the gallery
     * (three images per target, RGB, with margins) and metrics.json.
     */
    public static long expectedOutputBytes(ImageShape shape, int targets) {
        long pixels = (long) shape.height() * shape.width();
        // PNG worst case: raw samples + 1 filter byte per row + zlib's 5 bytes per stored 16 KiB block + chunks.
        long raw = pixels * shape.channels() + shape.height();
        long png = raw + raw / 16_000 * 5 + 1024;
        long galleryRaw = 3L * (3L * (shape.width() + 16)) * (shape.height() + 48) * targets + 3L * 64 * 1024;
        long gallery = galleryRaw + galleryRaw / 16_000 * 5 + 4096;
        long metrics = 4096L * targets + 64 * 1024;
        return targets * png + gallery + metrics;
    }

    /** Refuses to start when {@code outDir}'s file system has less room than {@code bytesNeeded}. */
    public static void checkDisk(Path outDir, long bytesNeeded, String what) {
        Path existing = outDir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        long usable;
        try {
            usable = freeSpace.usableBytes(existing);
        } catch (IOException e) {
            LOG.debug("free space of {} unknown: {}", existing, e.getMessage());
            return;
        }
        if (usable < bytesNeeded) {
            throw new Mi4jException(String.format(Locale.ROOT,
                    "output folder %s: its file system has %s free but %s needs up to %s: free some space or choose another --out",
                    outDir, size(usable), what, size(bytesNeeded)));
        }
    }

    /**
     * Refuses to start when the model's parameters, as float tensors for the forward pass, the
     * weight gradients DL4J computes alongside the input gradient and the loaded copy, do not fit
     * in the native memory JavaCPP may allocate, or the serialised model does not fit in the heap.
     *
     * @param model       what the parameters belong to, for the message
     * @param parameters  number of parameters of the network
     * @param batchValues values per input batch (targets x image size), for the attack tensors
     */
    public static void checkMemory(String model, long parameters, long batchValues) {
        MemoryLimits limits = memoryLimits.get();
        long paramBytes = parameters * Float.BYTES;
        long nativeNeeded = 3 * paramBytes + 16 * batchValues * Float.BYTES;
        if (nativeNeeded > limits.maxNativeBytes()) {
            throw new Mi4jException(String.format(Locale.ROOT,
                    "%s: %,d parameters need about %s of native memory for the attack but at most %s may be used:"
                            + " raise -Dorg.bytedeco.javacpp.maxbytes (MI4J_OFFHEAP for ./mi4j), or attack a smaller model",
                    model, parameters, size(nativeNeeded), size(limits.maxNativeBytes())));
        }
        if (paramBytes > limits.maxHeapBytes() * 0.8) {
            throw new Mi4jException(String.format(Locale.ROOT,
                    "%s: %,d parameters (%s) do not fit in the Java heap of %s the model is loaded through:"
                            + " raise -Xmx (MI4J_JAVA_OPTS for ./mi4j)",
                    model, parameters, size(paramBytes), size(limits.maxHeapBytes())));
        }
    }

    /**
     * Both checks for inversion runs of {@code specs}, each over {@code targets} identities, into
     * {@code outDir}: before any model is trained or loaded.
     */
    public static void checkInversion(java.util.List<dev.mi4j.experiments.config.ExperimentConfig.TargetConfig> specs,
                                      ImageShape shape, int numClasses, int targets, Path outDir) {
        checkDisk(outDir, specs.size() * expectedOutputBytes(shape, targets),
                specs.size() == 1 ? "an inversion of " + targets + " targets" : specs.size() + " inversions of " + targets + " targets");
        for (var spec : specs) {
            long p = spec.model() != null ? parameters(Path.of(spec.model()))
                    : parameters(Architecture.parse(spec.architecture()), shape, numClasses);
            if (p > 0) {
                checkMemory(spec.model() != null ? "model file " + spec.model() : "architecture " + spec.architecture(),
                        p, (long) targets * shape.size());
            }
        }
    }

    /** Parameters of an architecture for this input, counted from its configuration (nothing allocated). */
    public static long parameters(Architecture arch, ImageShape shape, int numClasses) {
        MultiLayerConfiguration conf = arch.configuration(shape, numClasses, 0L, new Sgd(0.1), 0.0, DataType.FLOAT);
        long n = 0;
        for (NeuralNetConfiguration c : conf.getConfs()) {
            n += c.getLayer().initializer().numParams(c);
        }
        return n;
    }

    /** Parameters of a saved model, from the size of its coefficients entry (nothing loaded); -1 if unknown. */
    public static long parameters(Path modelZip) {
        try (ZipFile z = new ZipFile(modelZip.toFile())) {
            ZipEntry e = z.getEntry("coefficients.bin");
            return e == null || e.getSize() < 0 ? -1 : e.getSize() / Float.BYTES;
        } catch (IOException e) {
            return -1;   // ModelStore.load reports an unreadable file, naming it
        }
    }

    private static long fileStoreUsable(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    private static String size(long bytes) {
        return bytes == Long.MAX_VALUE ? "unlimited"
                : bytes >= 10 * MIB ? String.format(Locale.ROOT, "%,d MiB", bytes / MIB)
                : String.format(Locale.ROOT, "%,d KiB", Math.max(1, bytes / 1024));
    }
}
