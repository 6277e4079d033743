package dev.mi4j.core.testing;

import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Input gradients against central differences of the classifier's own cost, in whatever precision the images have (use DOUBLE). */
public final class GradientChecks {

    private GradientChecks() {
    }

    /**
     * The outcome of one check.
     *
     * @param relativeError sqrt(sum (fd - an)^2 / sum max(fd^2, an^2)) over the sampled pixels
     * @param maxAbsError   max |fd - an|
     * @param maxAbsGradient max |an| over the sampled pixels (the scale of the errors)
     */
    public record Result(double relativeError, double maxAbsError, double maxAbsGradient) {
    }

    /**
     * The analytic gradient of every image at {@code pixelsPerImage} seeded random pixels against
     * (c(x + h e) - c(x - h e)) / 2h, each cost from the classifier's inputGradient call.
     */
    public static Result centralDifferences(DifferentiableClassifier clf, INDArray x, int[] targets, Objective objective,
                                            int pixelsPerImage, double h, long seed) {
        int n = (int) x.size(0);
        int d = (int) (x.length() / n);
        InputGradient g = clf.inputGradient(x, targets, objective);
        INDArray an = g.gradient().reshape('c', n, d);
        int[] pixels = new Random(seed).ints(pixelsPerImage, 0, d).toArray();
        double diff2 = 0;
        double norm2 = 0;
        double maxAbs = 0;
        double maxGrad = 0;
        for (int i = 0; i < n; i++) {
            for (int pix : pixels) {
                double fd = (costAt(clf, x, targets, objective, i, pix, h) - costAt(clf, x, targets, objective, i, pix, -h))
                        / (2 * h);
                double a = an.getDouble(i, pix);
                diff2 += (fd - a) * (fd - a);
                norm2 += Math.max(fd * fd, a * a);
                maxAbs = Math.max(maxAbs, Math.abs(fd - a));
                maxGrad = Math.max(maxGrad, Math.abs(a));
            }
        }
        return new Result(norm2 == 0 ? Double.NaN : Math.sqrt(diff2 / norm2), maxAbs, maxGrad);
    }

    private static double costAt(DifferentiableClassifier clf, INDArray x, int[] targets, Objective objective, int image,
                                 int pixel, double delta) {
        INDArray flat = x.dup('c').reshape('c', x.size(0), x.length() / x.size(0));
        flat.putScalar(image, pixel, flat.getDouble(image, pixel) + delta);
        return clf.inputGradient(flat.reshape('c', x.shape()), targets, objective).cost().getDouble(image);
    }

    /** max |a - b| over all elements, in double. */
    public static double maxAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE).reshape(a.shape())), false)
                .maxNumber().doubleValue();
    }
}
