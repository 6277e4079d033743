package dev.mi4j.core.image;

/**
 * Deterministic separable resize of channels-first float images. Each axis is resampled on its
 * own: shrinking uses area averaging (each output pixel is the coverage-weighted mean of the
 * source pixels under it, like OpenCV's INTER_AREA, so no aliasing), enlarging uses bilinear
 * interpolation with pixel centres at half-integer positions (align_corners = false).
 */
final class Resize {

    /** For each output index, the source indices and weights (summing to 1) that make it. */
    private record Taps(int[][] index, float[][] weight) {
    }

    private Resize() {
    }

    static ImageDecoder.Pixels resize(ImageDecoder.Pixels in, int outH, int outW) {
        ImageShape s = in.shape();
        int c = s.channels();
        int inH = s.height();
        int inW = s.width();
        Taps tx = taps(inW, outW);
        Taps ty = taps(inH, outH);
        float[] src = in.data();
        float[] rows = new float[c * inH * outW];
        // Pass 1: resample each row along x.
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < inH; y++) {
                int srcRow = (ch * inH + y) * inW;
                int dstRow = (ch * inH + y) * outW;
                for (int x = 0; x < outW; x++) {
                    int[] idx = tx.index[x];
                    float[] wt = tx.weight[x];
                    float acc = 0f;
                    for (int k = 0; k < idx.length; k++) {
                        acc += wt[k] * src[srcRow + idx[k]];
                    }
                    rows[dstRow + x] = acc;
                }
            }
        }
        // Pass 2: resample each column along y.
        float[] out = new float[c * outH * outW];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < outH; y++) {
                int[] idx = ty.index[y];
                float[] wt = ty.weight[y];
                int dstRow = (ch * outH + y) * outW;
                for (int x = 0; x < outW; x++) {
                    float acc = 0f;
                    for (int k = 0; k < idx.length; k++) {
                        acc += wt[k] * rows[(ch * inH + idx[k]) * outW + x];
                    }
                    // Weights are convex, so only rounding can leave [0, 1].
                    out[dstRow + x] = Math.min(1f, Math.max(0f, acc));
                }
            }
        }
        return new ImageDecoder.Pixels(new ImageShape(c, outH, outW), out);
    }

    private static Taps taps(int in, int out) {
        return out < in ? areaTaps(in, out) : linearTaps(in, out);
    }

    private static Taps areaTaps(int in, int out) {
        double scale = (double) in / out;
        int[][] index = new int[out][];
        float[][] weight = new float[out][];
        for (int i = 0; i < out; i++) {
            double start = i * scale;
            double end = start + scale;
            int first = (int) Math.floor(start);
            int last = Math.min(in - 1, (int) Math.ceil(end) - 1);
            int n = last - first + 1;
            index[i] = new int[n];
            weight[i] = new float[n];
            for (int k = 0; k < n; k++) {
                int j = first + k;
                double overlap = Math.min(end, j + 1) - Math.max(start, j);
                index[i][k] = j;
                weight[i][k] = (float) (Math.max(0, overlap) / scale);
            }
        }
        return new Taps(index, weight);
    }

    private static Taps linearTaps(int in, int out) {
        double scale = (double) in / out;
        int[][] index = new int[out][];
        float[][] weight = new float[out][];
        for (int i = 0; i < out; i++) {
            double pos = Math.max(0, Math.min(in - 1, (i + 0.5) * scale - 0.5));
            int j0 = (int) Math.floor(pos);
            int j1 = Math.min(j0 + 1, in - 1);
            float f = (float) (pos - j0);
            index[i] = new int[] {j0, j1};
            weight[i] = new float[] {1f - f, f};
        }
        return new Taps(index, weight);
    }
}
