package dev.mi4j.attacks.miface.process;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's Process(x): applied to the whole batch after each gradient step (identity,
 * denoise, sharpen, autoencoder round-trip). Input pixels are in [0, 1]; the attack clamps the
 * output back to [0, 1].
 */
public interface ProcessStep {

    /**
     * @param batch [n, c, h, w]; the step may modify it in place and return it
     * @return the processed batch, same shape
     */
    INDArray apply(INDArray batch);

    /** Short name recorded with results. */
    String name();
}
