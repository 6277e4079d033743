package dev.mi4j.core.model.backprop;

import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One reshaped or permuted view of an array, made once per source array: ND4J's reshape and
 * permute allocate a native shape buffer on every call, and the engine's work arrays (and an
 * attack's images) are the same objects from one step to the next. Only views are kept (the
 * result reads the source's memory, {@link Tensors#sharesMemory}); a copy is made anew on each
 * call, so it never goes stale.
 */
final class KeptView {
    private INDArray source;
    private INDArray view;

    /** {@code make.apply(src)}, or the view made for the same {@code src} before. */
    INDArray of(INDArray src, UnaryOperator<INDArray> make) {
        if (source == src) {
            return view;
        }
        INDArray v = make.apply(src);
        if (Tensors.sharesMemory(v, src)) {
            source = src;
            view = v;
        }
        return v;
    }
}
