package dev.mi4j.attacks.miface.process;

import dev.mi4j.core.testing.SharedDatasets;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageDecoder;
import dev.mi4j.core.image.ImageShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AT&amp;T faces for the process-step tests, read with {@link ImageDecoder} from
 * {@code shared/datasets/att_faces} (MI4J_DATA_DIR, or found walking up from the working directory).
 */
public final class AttFaces {

    private AttFaces() {
    }

    public static Path root() {
        return SharedDatasets.root().resolve("att_faces");
    }

    /** Image {@code index} (1-10) of subject {@code subject} (1-40) as [1, 1, h, w]; h, w <= 0 keeps 112x92. */
    public static INDArray face(int subject, int index, int height, int width) {
        INDArray chw = ImageDecoder.read(root().resolve("s" + subject + "/" + index + ".pgm"), true, height, width);
        return chw.reshape(1, chw.size(0), chw.size(1), chw.size(2));
    }

    /** Images first..last of every subject, resized to height x width, labelled by subject. */
    public static LabeledImages faces(int first, int last, int height, int width) {
        List<INDArray> imgs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int s = 1; s <= 40; s++) {
            names.add("s" + s);
            for (int i = first; i <= last; i++) {
                imgs.add(face(s, i, height, width));
                labels.add(s - 1);
                sources.add("s" + s + "/" + i + ".pgm");
            }
        }
        INDArray x = Nd4j.concat(0, imgs.toArray(INDArray[]::new));
        return new LabeledImages("att-" + height + "x" + width, x, labels.stream().mapToInt(Integer::intValue).toArray(),
                names, sources, new ImageShape(1, height, width));
    }

    public static double mse(INDArray a, INDArray b) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .squaredDistance(b.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)) / a.length();
    }
}
