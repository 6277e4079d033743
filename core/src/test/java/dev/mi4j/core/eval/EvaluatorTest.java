package dev.mi4j.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Classifier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EvaluatorTest {

    /** Predicts from the first pixel: class = (int) (pixel * 10), with the next class second. */
    private static final class PixelClassifier implements Classifier {
        long queries;

        @Override
        public int numClasses() {
            return 7;
        }

        @Override
        public ImageShape inputShape() {
            return new ImageShape(1, 2, 2);
        }

        @Override
        public INDArray predict(INDArray images) {
            int n = (int) images.size(0);
            queries += n;
            INDArray p = Nd4j.zeros(DataType.FLOAT, n, 7);
            for (int i = 0; i < n; i++) {
                int c = (int) Math.round(images.getDouble(i, 0, 0, 0) * 10);
                p.putScalar(i, c, 0.6);
                p.putScalar(i, (c + 1) % 7, 0.4);
            }
            return p;
        }

        @Override
        public long queryCount() {
            return queries;
        }

        @Override
        public void resetQueryCount() {
            queries = 0;
        }
    }

    @Test
    void countsAccuracyConfusionsAndTopFive() {
        // labels 0..6 repeated; the pixel says the label, except three class-2 images say 3
        // and one class-5 image says 1
        int n = 140;
        int[] labels = new int[n];
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, 1, 2, 2);
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 7;
            predicted[i] = labels[i];
        }
        predicted[2] = 3;
        predicted[9] = 3;
        predicted[16] = 3;
        predicted[5] = 1;
        for (int i = 0; i < n; i++) {
            x.putScalar(new long[] {i, 0, 0, 0}, predicted[i] / 10.0);
        }
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g");
        LabeledImages data = new LabeledImages("t", x, labels, names, java.util.Collections.nCopies(n, "x"),
                new ImageShape(1, 2, 2));
        PixelClassifier clf = new PixelClassifier();
        EvaluationReport r = Evaluator.evaluate(clf, data);
        assertEquals(n, r.n());
        assertEquals(n, clf.queryCount());
        assertEquals((n - 4) / (double) n, r.accuracy(), 1e-12);
        assertEquals(3, r.confusion()[2][3]);
        assertEquals(1, r.confusion()[5][1]);
        assertEquals(new EvaluationReport.Confusion("c", "d", 3), r.topConfusions().get(0));
        assertEquals(new EvaluationReport.Confusion("f", "b", 1), r.topConfusions().get(1));
        assertEquals(2, r.topConfusions().size());
        assertEquals(17.0 / 20, r.perClassAccuracy()[2], 1e-12);
        assertEquals(1.0, r.perClassAccuracy()[0], 1e-12);
        // Class-5 image predicted 1 (p 0.6) and 2 (p 0.4): its label has p 0 and ties five others
        // at zero, so only 2 classes rank above it: still top-5.
        assertEquals(1.0, r.top5Accuracy(), 1e-12);
        int total = 0;
        for (int[] row : r.confusion()) {
            for (int v : row) {
                total += v;
            }
        }
        assertEquals(n, total);
        assertTrue(r.topConfusions().get(0).count() >= r.topConfusions().get(1).count());
        assertArrayEquals(new int[] {20, 0, 0, 0, 0, 0, 0}, r.confusion()[0]);
    }
}
