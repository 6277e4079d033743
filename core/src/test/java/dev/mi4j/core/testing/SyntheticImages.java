package dev.mi4j.core.testing;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Class-dependent blob images for fast tests: each class has a bright Gaussian blob in its own place. */
public final class SyntheticImages {

    private SyntheticImages() {
    }

    /**
     * perClass images of each class, labels interleaved; blob centres on a ring, jittered by
     * +-1 pixel, plus uniform noise of amplitude {@code noise}.
     */
    public static LabeledImages blobs(int numClasses, int perClass, ImageShape shape, double noise, long seed) {
        Random rnd = new Random(seed);
        int n = numClasses * perClass;
        int h = shape.height();
        int w = shape.width();
        float[] data = new float[n * shape.size()];
        int[] labels = new int[n];
        List<String> sources = new ArrayList<>();
        double sigma = Math.min(h, w) / 6.0;
        for (int i = 0; i < n; i++) {
            int label = i % numClasses;
            labels[i] = label;
            sources.add("synthetic/" + label + "/" + (i / numClasses));
            double angle = 2 * Math.PI * label / numClasses;
            double cy = h / 2.0 + h / 4.0 * Math.sin(angle) + rnd.nextInt(3) - 1;
            double cx = w / 2.0 + w / 4.0 * Math.cos(angle) + rnd.nextInt(3) - 1;
            for (int c = 0; c < shape.channels(); c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                        double v = 0.8 * Math.exp(-d2 / (2 * sigma * sigma)) + noise * rnd.nextDouble();
                        data[((i * shape.channels() + c) * h + y) * w + x] = (float) Math.min(1, v);
                    }
                }
            }
        }
        INDArray images = Nd4j.create(data, shape.batchShape(n), 'c').castTo(DataType.FLOAT);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            names.add("class" + c);
        }
        return new LabeledImages("synthetic-blobs", images, labels, names, sources, shape);
    }
}
