package dev.mi4j.datasets;

/**
 * How to read a dataset's images.
 *
 * @param grayscale one channel (luma) if true, three (RGB) if false
 * @param height    output height; <= 0 together with width <= 0 keeps the native size
 * @param width     output width
 */
public record LoadOptions(boolean grayscale, int height, int width) {

    public LoadOptions {
        if ((height > 0) != (width > 0)) {
            throw new IllegalArgumentException("height and width must both be > 0 (resize) or both <= 0 (native size), got "
                    + height + "x" + width);
        }
    }

    /** The dataset's default colour mode and size ({@link DatasetSpec#defaultShape()}). */
    public static LoadOptions defaults(DatasetSpec spec) {
        return new LoadOptions(spec.grayscaleDefault(), spec.defaultShape().height(), spec.defaultShape().width());
    }

    /** The dataset's default colour mode at the files' own size. */
    public static LoadOptions nativeSize(DatasetSpec spec) {
        return new LoadOptions(spec.grayscaleDefault(), 0, 0);
    }

    /** Same colour mode, resized. */
    public LoadOptions resized(int h, int w) {
        return new LoadOptions(grayscale, h, w);
    }
}
