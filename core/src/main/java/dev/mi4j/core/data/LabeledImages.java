package dev.mi4j.core.data;

import dev.mi4j.core.image.ImageShape;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A set of labelled face images held in memory: what a dataset loader produces and what
 * training, evaluation and metrics consume. Core knows no particular dataset; this is the
 * neutral container between them.
 *
 * @param name       dataset name (for provenance), e.g. "att-faces"
 * @param images     [n, c, h, w] float tensor, pixels in [0, 1]
 * @param labels     label of each image, 0..classNames.size()-1
 * @param classNames identity names, indexed by label
 * @param sources    where each image came from (relative file path), same order as labels
 * @param shape      shape of one image
 */
public record LabeledImages(String name, INDArray images, int[] labels, List<String> classNames,
                            List<String> sources, ImageShape shape) {

    public LabeledImages {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(images, "images");
        classNames = List.copyOf(classNames);
        sources = List.copyOf(sources);
        if (images.size(0) != labels.length || sources.size() != labels.length) {
            throw new IllegalArgumentException("images, labels and sources differ in length: "
                    + images.size(0) + ", " + labels.length + ", " + sources.size());
        }
    }

    public int size() {
        return labels.length;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** The images at the given indices, in that order, as a new set. */
    public LabeledImages subset(int[] indices, String subsetName) {
        INDArray sel = images.get(NDArrayIndex.indices(toLong(indices)), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all()).dup();
        if (indices.length == 1) {
            sel = sel.reshape(shape.batchShape(1));
        }
        int[] l = new int[indices.length];
        String[] s = new String[indices.length];
        for (int i = 0; i < indices.length; i++) {
            l[i] = labels[indices[i]];
            s[i] = sources.get(indices[i]);
        }
        return new LabeledImages(subsetName, sel, l, classNames, List.of(s), shape);
    }

    /** Indices of the images of one identity, in order. */
    public int[] indicesOf(int label) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
    }

    /** All images of one identity, [m, c, h, w]. */
    public INDArray imagesOf(int label) {
        int[] idx = indicesOf(label);
        if (idx.length == 0) {
            return Nd4j.create(images.dataType(), shape.batchShape(0));
        }
        return subset(idx, name).images();
    }

    /** One-hot labels, [n, classes], in the images' data type. */
    public INDArray oneHotLabels() {
        INDArray y = Nd4j.zeros(images.dataType(), labels.length, numClasses());
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1.0);
        }
        return y;
    }

    private static long[] toLong(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }
}
