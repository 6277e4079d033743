package dev.mi4j.attacks.miface;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's AuxTerm(x): a cost added to the model objective, c(x) = objective(x) + AuxTerm(x),
 * e.g. an image prior. Implementations must not modify the batch.
 */
public interface AuxTerm {

    /** @return [n] cost per image of the [n, c, h, w] batch */
    INDArray cost(INDArray batch);

    /** @return [n, c, h, w] d cost / d image, per image */
    INDArray gradient(INDArray batch);

    /** Short name recorded with results. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** No auxiliary term (the paper's white-box setting); MiFace skips it entirely. */
    static AuxTerm none() {
        return AuxTerms.NONE;
    }

    /** weight * sum of squared pixels per image. */
    static AuxTerm l2(double weight) {
        return new AuxTerms.L2(weight);
    }

    /** weight * sum of squared differences between horizontal and vertical neighbours per image. */
    static AuxTerm totalVariation(double weight) {
        return new AuxTerms.TotalVariation(weight);
    }
}
