package dev.mi4j.core.model.backprop;

import java.util.Locale;
import java.util.Objects;

/**
 * How the {@link FastEngine} runs convolutions and max pools. {@code AUTO} everywhere is the
 * measured best choice for the natives in use (BENCHMARKS.md); the other values exist to compare
 * paths and to pin one in tests.
 *
 * @param layout   memory layout of convolutions and max pools
 * @param forward  how a convolution runs forward
 * @param backward how a convolution back-propagates its input epsilon
 */
public record BackpropOptions(Layout layout, Forward forward, Backward backward) {

    /** System property for {@link #layout}: nchw, nhwc or auto. */
    public static final String LAYOUT_PROPERTY = "mi4j.conv.layout";
    /** System property for {@link #forward}: op, gemm or auto. */
    public static final String FORWARD_PROPERTY = "mi4j.conv.forward";
    /** System property for {@link #backward}: bp, input_bp, gemm, flip or auto. */
    public static final String BACKWARD_PROPERTY = "mi4j.conv.backward";

    /**
     * Memory layout of convolutions and max pools. AUTO: NHWC on the oneDNN natives (where it
     * saves oneDNN's reorders), else NCHW. NHWC runs libnd4j's conv2d forward and the
     * flipped-kernel (or conv2d_bp) backward; the layout changes at the first and last of them.
     */
    public enum Layout { AUTO, NCHW, NHWC }

    /** Convolution forward: OP (libnd4j conv2d), GEMM (im2col + GEMM per image), or AUTO: OP on oneDNN, else GEMM. */
    public enum Forward { AUTO, OP, GEMM }

    /**
     * Convolution backward: BP (conv2d_bp), INPUT_BP (conv2d_input_bp per image), GEMM (GEMM +
     * col2im per image), FLIP (conv2d of the epsilon with the flipped, transposed kernel: stride 1
     * only), or AUTO: FLIP on oneDNN where it applies, else GEMM.
     */
    public enum Backward { AUTO, BP, INPUT_BP, GEMM, FLIP }

    /** Every choice automatic. */
    public static final BackpropOptions AUTOMATIC = new BackpropOptions(Layout.AUTO, Forward.AUTO, Backward.AUTO);

    public BackpropOptions {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
    }

    /**
     * The options set by the system properties {@value #LAYOUT_PROPERTY},
     * {@value #FORWARD_PROPERTY} and {@value #BACKWARD_PROPERTY} (AUTO where one is unset), the
     * way mi4j has always been told to pin a convolution path from the command line. Read once,
     * by whoever builds an engine; the engine itself never reads system properties.
     */
    public static BackpropOptions fromSystemProperties() {
        return new BackpropOptions(property(LAYOUT_PROPERTY, Layout.class), property(FORWARD_PROPERTY, Forward.class),
                property(BACKWARD_PROPERTY, Backward.class));
    }

    private static <E extends Enum<E>> E property(String key, Class<E> type) {
        String value = System.getProperty(key, "auto");
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(key + ": unknown value '" + value + "' (expected " + allowed + ")");
    }

    /** As the system properties write it: layout=... forward=... backward=... (lower case). */
    @Override
    public String toString() {
        return "layout=" + layout.name().toLowerCase(Locale.ROOT) + " forward=" + forward.name().toLowerCase(Locale.ROOT)
                + " backward=" + backward.name().toLowerCase(Locale.ROOT);
    }
}
