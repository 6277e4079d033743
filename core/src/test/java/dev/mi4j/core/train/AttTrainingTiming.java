package dev.mi4j.core.train;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.eval.EvaluationReport;
import dev.mi4j.core.eval.Evaluator;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Architecture;
import dev.mi4j.core.model.NetworkClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measurement utility, not a test: trains the given architectures on AT&T with their default
 * configuration and prints test accuracy and time. Images 1-7 of each subject train, 8-10 test.
 * Run with the test classpath (after {@code mvn -o -pl core test-compile} and
 * {@code mvn -o -pl core dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}):
 * {@code java -cp core/target/test-classes:core/target/classes:$(cat cp.txt)
 * dev.mi4j.core.train.AttTrainingTiming ../shared/datasets/att_faces softmax mlp}
 */
public final class AttTrainingTiming {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/datasets/att_faces");
        LabeledImages train = read(dir, 1, 7, "att-train");
        LabeledImages test = read(dir, 8, 10, "att-test");
        for (int a = 1; a < Math.max(2, args.length); a++) {
            Architecture arch = Architecture.parse(args.length > 1 ? args[a] : "softmax");
            TrainingConfig cfg = TrainingConfig.defaultsFor(arch);
            TrainingResult r = Trainer.train(arch, train, cfg, false);
            EvaluationReport rep = Evaluator.evaluate(new NetworkClassifier(r.net(), train.shape()), test);
            System.out.printf("%s: test acc %.4f top5 %.4f, train acc %.4f, val acc %.4f, epochs %d (best %d), %.1f s (%.2f s/epoch)%n",
                    arch.id(), rep.accuracy(), rep.top5Accuracy(), r.trainAccuracy(), r.validationAccuracy(),
                    r.epochsRun(), r.bestEpoch(), r.millis() / 1000.0, r.millis() / 1000.0 / r.epochsRun());
        }
    }

    /** Images first..last (1-based) of subjects s1..s40, binary PGM (P5, maxval 255). */
    static LabeledImages read(Path dir, int first, int last, String name) throws IOException {
        int h = 112;
        int w = 92;
        int per = last - first + 1;
        float[] data = new float[40 * per * h * w];
        int[] labels = new int[40 * per];
        List<String> sources = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int k = 0;
        for (int s = 1; s <= 40; s++) {
            names.add("s" + s);
            for (int i = first; i <= last; i++) {
                String rel = "s" + s + "/" + i + ".pgm";
                byte[] b = Files.readAllBytes(dir.resolve(rel));
                int off = b.length - h * w; // header is "P5\n92 112\n255\n"
                for (int p = 0; p < h * w; p++) {
                    data[k * h * w + p] = (b[off + p] & 0xff) / 255f;
                }
                labels[k] = s - 1;
                sources.add(rel);
                k++;
            }
        }
        ImageShape shape = new ImageShape(1, h, w);
        return new LabeledImages(name, Nd4j.create(data, shape.batchShape(k), 'c').castTo(DataType.FLOAT), labels,
                names, sources, shape);
    }
}
