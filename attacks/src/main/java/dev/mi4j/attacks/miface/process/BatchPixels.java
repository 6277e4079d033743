package dev.mi4j.attacks.miface.process;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A [n, c, h, w] batch copied out to a float array (row-major) and back, for per-image OpenCV work. */
final class BatchPixels {

    final long[] shape;
    final DataType dataType;
    final int n;
    final int channels;
    final int height;
    final int width;
    final float[] data;

    private BatchPixels(long[] shape, DataType dataType, float[] data) {
        this.shape = shape;
        this.dataType = dataType;
        this.n = Math.toIntExact(shape[0]);
        this.channels = Math.toIntExact(shape[1]);
        this.height = Math.toIntExact(shape[2]);
        this.width = Math.toIntExact(shape[3]);
        this.data = data;
    }

    static BatchPixels of(INDArray batch, String step) {
        if (batch == null || batch.rank() != 4) {
            throw new IllegalArgumentException("batch: " + step + " expects [n, c, h, w], got "
                    + (batch == null ? "null" : Arrays.toString(batch.shape())));
        }
        float[] data = batch.dup('c').castTo(DataType.FLOAT).data().asFloat();
        return new BatchPixels(batch.shape(), batch.dataType(), data);
    }

    int planeSize() {
        return height * width;
    }

    /** Offset of channel {@code c} of image {@code i}. */
    int offset(int i, int c) {
        return (i * channels + c) * planeSize();
    }

    /** A new tensor of the original shape and data type holding {@code values}. */
    INDArray toTensor(float[] values) {
        INDArray out = Nd4j.create(values, shape, 'c');
        return dataType == DataType.FLOAT ? out : out.castTo(dataType);
    }

    static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
