package dev.mi4j.attacks.blackbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite differences along coordinate axes: g_i = (c(x + h e_i) - c(x - h e_i)) / (2h).
 *
 * <p>With {@code subspaceDims = 0} (or at least the image size) every coordinate is probed, in
 * order: 2 * dims queries per image, the exact-in-the-limit estimate the paper's black-box
 * attack needs. With {@code 0 < subspaceDims < dims}, each probe draws that many distinct
 * coordinates uniformly at random (seeded; one draw shared by all images of the step); those
 * coordinates get their central-difference partial derivative and every other coordinate gets
 * 0. The estimate is <em>not</em> rescaled: it is a randomized block-coordinate step, whose
 * expectation is (subspaceDims / dims) times the gradient. Scale the attack's learning rate
 * if a comparable step length is wanted.
 *
 * <p>Perturbed pixels may leave [0, 1] by up to h; they are not clipped, since clipping would
 * break the symmetry of the central difference. For FLOAT models h around 1e-3..1e-2 keeps the
 * difference above float rounding noise; with DOUBLE, 1e-5 is fine.
 */
public final class FiniteDifferences implements GradientEstimator {

    private final double h;
    private final int subspaceDims;
    private final long seed;
    private final Random random;

    public FiniteDifferences(double h, int subspaceDims, long seed) {
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new IllegalArgumentException("FiniteDifferences: h must be finite and > 0, got " + h);
        }
        if (subspaceDims < 0) {
            throw new IllegalArgumentException("FiniteDifferences: subspaceDims must be >= 0 (0 = all coordinates), got "
                    + subspaceDims);
        }
        this.h = h;
        this.subspaceDims = subspaceDims;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** All coordinates, no randomness. */
    public FiniteDifferences(double h) {
        this(h, 0, 0L);
    }

    public double h() {
        return h;
    }

    public int subspaceDims() {
        return subspaceDims;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String name() {
        return "fd";
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("h", h);
        p.put("subspaceDims", subspaceDims);
        p.put("seed", seed);
        return p;
    }

    @Override
    public int pairs(int dims) {
        return subspaceDims == 0 ? dims : Math.min(subspaceDims, dims);
    }

    @Override
    public Probe probe(int dims, DataType type) {
        int m = pairs(dims);
        int[] coords = new int[m];
        if (m == dims) {
            for (int i = 0; i < m; i++) {
                coords[i] = i;
            }
        } else {
            // Partial Fisher-Yates: the first m entries are a uniform m-subset of 0..dims-1.
            int[] all = new int[dims];
            for (int i = 0; i < dims; i++) {
                all[i] = i;
            }
            for (int i = 0; i < m; i++) {
                int j = i + random.nextInt(dims - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
                coords[i] = all[i];
            }
        }
        return new CoordinateProbe(coords, dims);
    }

    private final class CoordinateProbe implements Probe {
        private final int[] coords;
        private final int dims;

        CoordinateProbe(int[] coords, int dims) {
            this.coords = coords;
            this.dims = dims;
        }

        @Override
        public int pairs() {
            return coords.length;
        }

        @Override
        public void perturb(INDArray image, boolean plus, int fromPair, int toPair, INDArray dest) {
            dest.assign(0).addiRowVector(image);
            double step = plus ? h : -h;
            for (int r = 0; r < toPair - fromPair; r++) {
                int c = coords[fromPair + r];
                dest.putScalar(r, c, image.getDouble(0, c) + step);
            }
        }

        @Override
        public INDArray combine(double[][] differences, DataType type) {
            int n = differences.length;
            double[] g = new double[n * dims];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < coords.length; j++) {
                    g[i * dims + coords[j]] = differences[i][j] / (2 * h);
                }
            }
            return Nd4j.createFromArray(g).reshape(n, dims).castTo(type);
        }
    }

    @Override
    public String toString() {
        return "fd" + params();
    }
}
