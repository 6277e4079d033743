package dev.mi4j.core.testing;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageDecoder;
import dev.mi4j.core.image.ImageShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The real datasets tests run on: {@code $MI4J_DATA_DIR}, else the first {@code shared/datasets}
 * (holding {@code att_faces}) found walking up from the working directory. Shared by the tests of
 * every module through core's test jar. A missing copy fails the test: CI always has one.
 */
public final class SharedDatasets {

    private SharedDatasets() {
    }

    public static Path root() {
        String env = System.getenv("MI4J_DATA_DIR");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env).resolve("att_faces"))) {
            return Path.of(env);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("shared/datasets/att_faces"))) {
                return d.resolve("shared/datasets");
            }
        }
        throw new IllegalStateException("test datasets not found: no shared/datasets above "
                + Path.of("").toAbsolutePath() + " and MI4J_DATA_DIR unset");
    }

    /** One AT&amp;T face, e.g. {@code attFace("s1/1.pgm")}, as a [1, 112, 92] tensor in [0, 1]. */
    public static INDArray attFace(String relative) {
        return ImageDecoder.read(root().resolve("att_faces").resolve(relative), true, 0, 0);
    }

    /**
     * Images {@code first..last} (1-10) of AT&amp;T subjects {@code 1..subjects}, resized to
     * {@code height x width}, labelled 0..subjects-1 (small real training sets for trainer tests).
     */
    public static LabeledImages attFaces(int subjects, int first, int last, int height, int width) {
        List<INDArray> imgs = new ArrayList<>();
        int[] labels = new int[subjects * (last - first + 1)];
        List<String> names = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        int k = 0;
        for (int s = 1; s <= subjects; s++) {
            names.add("s" + s);
            for (int i = first; i <= last; i++) {
                String rel = "s" + s + "/" + i + ".pgm";
                INDArray chw = ImageDecoder.read(root().resolve("att_faces").resolve(rel), true, height, width);
                imgs.add(chw.reshape(1, chw.size(0), chw.size(1), chw.size(2)));
                labels[k++] = s - 1;
                sources.add(rel);
            }
        }
        return new LabeledImages("att-" + subjects + "x" + height + "x" + width,
                Nd4j.concat(0, imgs.toArray(INDArray[]::new)), labels, names, sources,
                new ImageShape(1, height, width));
    }
}
