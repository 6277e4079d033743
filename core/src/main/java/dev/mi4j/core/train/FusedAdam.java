package dev.mi4j.core.train;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Adam (Kingma &amp; Ba) with the same rule and state layout as DL4J's {@link Adam}, its update done in
 * one pass over the gradient and the two moment arrays instead of ND4J's {@code adam_updater} op,
 * which took 60 ms per step on the DAE's 21 M parameters on a 2-core AVX-512 VM where this pass takes
 * about 10 ms (about 5 times the time of one copy of the three arrays; BENCHMARKS.md, "DAE
 * pretraining"). The arithmetic is the op's, in float: {@code m = b1 m + (1 - b1) g},
 * {@code v = b2 v + (1 - b2) g^2}, {@code g = a_t m / (sqrt(v) + eps)} with
 * {@code a_t = lr sqrt(1 - b2^t) / (1 - b1^t)}, each rounded as the op rounds it, so that both give
 * the same bits (FusedAdamTest: the moments and updates of 20 steps on 200,003 parameters, and the
 * step size of 30,000 iterations). Arrays that are not dense float buffers of one ordering take
 * DL4J's own path.
 *
 * <p>Saved with the network's configuration as this class (plain JSON, like DL4J's updaters).
 */
public class FusedAdam extends Adam {

    private static final long serialVersionUID = 1L;

    /** For JSON. */
    public FusedAdam() {
        super();
    }

    public FusedAdam(double learningRate) {
        super(learningRate);
    }

    public FusedAdam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        // As DL4J's Adam: the state is a vector of 2n values, m then v.
        Updater u = new Updater(this);
        INDArray flat = viewArray.reshape(viewArray.length());
        long[] gradientShape = {flat.length() / 2};
        u.setStateViewArray(flat, gradientShape, flat.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public FusedAdam clone() {
        // As Adam.clone: the same settings, the learning-rate schedule (if any) shared.
        FusedAdam c = new FusedAdam(getLearningRate(), getBeta1(), getBeta2(), getEpsilon());
        c.setLearningRateSchedule(getLearningRateSchedule());
        return c;
    }

    /** The update in one pass, split over the available cores (each element is independent, so any split gives the same numbers). */
    static final class Updater extends AdamUpdater {

        private static final int CHUNK = 4096;

        Updater(Adam config) {
            super(config);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            INDArray m = getM();
            INDArray v = getV();
            if (!dense(gradient, m, v)) {
                super.applyUpdater(gradient, iteration, epoch);
                return;
            }
            Adam c = getConfig();
            float beta1 = (float) c.getBeta1();
            float beta2 = (float) c.getBeta2();
            float eps = (float) c.getEpsilon();
            float alphaT = stepSize((float) c.getLearningRate(iteration, epoch), beta1, beta2, eps, iteration);
            FloatBuffer g = gradient.data().asNioFloat();
            FloatBuffer mb = m.data().asNioFloat();
            FloatBuffer vb = v.data().asNioFloat();
            int go = (int) gradient.offset();
            int mo = (int) m.offset();
            int vo = (int) v.offset();
            int n = (int) gradient.length();
            int parts = n < 1 << 16 ? 1 : Runtime.getRuntime().availableProcessors();
            float oneMinusB1 = 1 - beta1;
            float oneMinusB2 = 1 - beta2;
            IntStream.range(0, parts).parallel().forEach(part -> {
                int from = (int) ((long) n * part / parts);
                int to = (int) ((long) n * (part + 1) / parts);
                // Chunks copied in and out of heap arrays: the loop over arrays vectorises, one
                // over the direct buffers' get/put does not (3.6x slower measured).
                float[] gc = new float[CHUNK];
                float[] mc = new float[CHUNK];
                float[] vc = new float[CHUNK];
                for (int start = from; start < to; start += CHUNK) {
                    int len = Math.min(CHUNK, to - start);
                    g.get(go + start, gc, 0, len);
                    mb.get(mo + start, mc, 0, len);
                    vb.get(vo + start, vc, 0, len);
                    for (int i = 0; i < len; i++) {
                        float gi = gc[i];
                        float mi = beta1 * mc[i] + gi * oneMinusB1;
                        float vi = beta2 * vc[i] + gi * gi * oneMinusB2;
                        mc[i] = mi;
                        vc[i] = vi;
                        gc[i] = mi * alphaT / ((float) Math.sqrt(vi) + eps);
                    }
                    g.put(go + start, gc, 0, len);
                    mb.put(mo + start, mc, 0, len);
                    vb.put(vo + start, vc, 0, len);
                }
            });
        }

        /**
         * a_t = lr sqrt(1 - b2^t) / (1 - b1^t), t = iteration + 1, rounded as ND4J's op rounds it (its
         * C++ in float: the powers by libnd4j's own float pow, the difference in double, sqrtf of it
         * as float, the product in float, the quotient in double, the result as float), so that both
         * give the same bits. The powers come from ND4J's scalar pow op, the same libnd4j function:
         * Java's pow rounded to float differs from it by one unit in the last place at some
         * iterations (the first at 3605 for beta2 0.999).
         */
        static float stepSize(float lr, float beta1, float beta2, float eps, int iteration) {
            float t = (float) iteration + 1f;
            float b1t = Transforms.pow(Nd4j.scalar(DataType.FLOAT, beta1), t, false).getFloat(0);
            float b2t = Transforms.pow(Nd4j.scalar(DataType.FLOAT, beta2), t, false).getFloat(0);
            float root = (float) Math.sqrt((float) (1.0 - b2t));
            float a = (float) ((double) (lr * root) / (1.0 - b1t));
            return Float.isNaN(a) || a == 0 || Float.isInfinite(a) ? eps : a;
        }

        /** Float arrays laid out alike and densely, so that element i of each is at offset + i. */
        private static boolean dense(INDArray g, INDArray m, INDArray v) {
            for (INDArray a : new INDArray[] {g, m, v}) {
                if (a.dataType() != DataType.FLOAT || a.elementWiseStride() != 1 || a.length() != g.length()
                        || a.ordering() != g.ordering() || a.offset() + a.length() > Integer.MAX_VALUE) {
                    return false;
                }
            }
            return true;
        }
    }
}
