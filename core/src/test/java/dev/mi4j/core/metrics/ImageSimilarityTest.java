package dev.mi4j.core.metrics;

import dev.mi4j.core.testing.SharedDatasets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageSimilarityTest {

    private static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape);
    }

    /**
     * Reference values from an independent implementation (numpy, written from the paper and the
     * MATLAB ssim_index, 'valid' filtering through sliding windows; skimage is not installed here):
     * <pre>
     * python3 core/src/test/resources/ssim_reference.py ../shared/datasets/att_faces/s1/1.pgm ../shared/datasets/att_faces/s1/2.pgm
     * -> 0.3423755265258697
     * python3 core/src/test/resources/ssim_reference.py ../shared/datasets/att_faces/s1/1.pgm ../shared/datasets/att_faces/s2/1.pgm
     * -> 0.2858017228078612
     * </pre>
     * (The first value was also reproduced, to 1e-15, with scipy.signal.correlate2d(..., 'valid').)
     * The Java side reads float pixels; the tolerance covers float-vs-double rounding of k/255.
     */
    @Test
    void ssimMatchesIndependentReferenceOnAttFaces() throws Exception {
        INDArray s1a = SharedDatasets.attFace("s1/1.pgm");
        INDArray s1b = SharedDatasets.attFace("s1/2.pgm");
        INDArray s2a = SharedDatasets.attFace("s2/1.pgm");
        assertEquals(0.3423755265258697, ImageSimilarity.ssim(s1a, s1b), 1e-6);
        assertEquals(0.2858017228078612, ImageSimilarity.ssim(s1a, s2a), 1e-6);
        assertEquals(1.0, ImageSimilarity.ssim(s1a, s1a), 1e-12);
    }

    @Test
    void ssimOfAnImageWithItselfIsOne() {
        INDArray x = random(1, 3, 20, 17);
        assertEquals(1.0, ImageSimilarity.ssim(x, x), 1e-12);
        assertEquals(1.0, ImageSimilarity.ssim(x.reshape(1, 3, 20, 17), x), 1e-12);
    }

    @Test
    void ssimIsSymmetricAndDecreasesWithNoise() {
        INDArray x = random(2, 1, 40, 30);
        double previous = 1.0;
        for (double sigma : new double[] {0.01, 0.05, 0.1, 0.3}) {
            INDArray noisy = x.add(random(3, 1, 40, 30).subi(0.5).muli(sigma * Math.sqrt(12)));
            double s = ImageSimilarity.ssim(x, noisy);
            assertEquals(s, ImageSimilarity.ssim(noisy, x), 1e-12);
            assertTrue(s < previous, "ssim " + s + " at noise " + sigma + " not below " + previous);
            previous = s;
        }
    }

    @Test
    void ssimOfSeveralChannelsIsTheMeanOverChannels() {
        INDArray a = random(4, 3, 16, 16);
        INDArray b = random(5, 3, 16, 16);
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            INDArray ac = a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(c, c + 1)).dup();
            INDArray bc = b.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(c, c + 1)).dup();
            sum += ImageSimilarity.ssim(ac, bc);
        }
        assertEquals(sum / 3, ImageSimilarity.ssim(a, b), 1e-12);
    }

    @Test
    void ssimOfConstantImagesFollowsTheLuminanceTerm() {
        // Zero variances: SSIM = (2 mu1 mu2 + C1) / (mu1^2 + mu2^2 + C1) everywhere.
        INDArray a = Nd4j.zeros(DataType.DOUBLE, 1, 12, 12).addi(0.2);
        INDArray b = Nd4j.zeros(DataType.DOUBLE, 1, 12, 12).addi(0.6);
        double c1 = 1e-4;
        assertEquals((2 * 0.2 * 0.6 + c1) / (0.04 + 0.36 + c1), ImageSimilarity.ssim(a, b), 1e-12);
    }

    @Test
    void gaussianWindowIsNormalisedAndMatchesTheFormula() {
        double[] w = ImageSimilarity.gaussianWindow(11, 1.5);
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-12);
        // ratio centre / corner = exp((5^2 + 5^2) / (2 * 1.5^2))
        assertEquals(Math.exp(50 / 4.5), w[5 * 11 + 5] / w[0], 1e-6 * Math.exp(50 / 4.5));
    }

    @Test
    void mseAndPsnrFollowTheirFormulas() {
        INDArray a = Nd4j.create(new double[] {0, 0.5, 1, 0.25}, new long[] {1, 2, 2});
        INDArray b = Nd4j.create(new double[] {0.1, 0.5, 0.8, 0.25}, new long[] {1, 2, 2});
        double mse = (0.01 + 0 + 0.04 + 0) / 4;
        assertEquals(mse, ImageSimilarity.mse(a, b), 1e-15);
        assertEquals(ImageSimilarity.mse(a, b), ImageSimilarity.mse(b, a), 0);
        assertEquals(10 * Math.log10(1 / mse), ImageSimilarity.psnr(a, b), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, ImageSimilarity.psnr(a, a));
        assertEquals(20.0, ImageSimilarity.psnrFromMse(0.01), 1e-12);
    }

    @Test
    void rejectsMismatchedOrTooSmallImages() {
        assertThrows(IllegalArgumentException.class,
                () -> ImageSimilarity.mse(random(6, 1, 4, 4), random(7, 1, 4, 5)));
        assertThrows(IllegalArgumentException.class,
                () -> ImageSimilarity.ssim(random(6, 1, 10, 20), random(7, 1, 10, 20)));
        assertThrows(IllegalArgumentException.class,
                () -> ImageSimilarity.ssim(random(6, 2, 12, 12), random(7, 2, 12, 12)));
    }
}
