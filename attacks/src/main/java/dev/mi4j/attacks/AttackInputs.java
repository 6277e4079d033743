package dev.mi4j.attacks;

import dev.mi4j.core.model.Autoencoder;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.GenerativePrior;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an attack may see besides its parameters: the attacker's view of the model (the model
 * itself for a white-box attacker; an output policy and a gradient estimator in front of it for
 * a black-box one), optional prior knowledge, and how to report. Never a dataset: an attack sees
 * a model, target labels and prior tensors or models, nothing else.
 *
 * @param model            the attacker's view of the target (never modified)
 * @param meanImage        [c, h, w] prior image (e.g. the mean training image), or null
 * @param autoencoder      an autoencoder the attacker has (e.g. the DAE target's own), or null
 * @param listener         progress callback
 * @param recordTrajectory keep the cost of every iterate in each reconstruction
 * @param generator        a generative prior the attacker trained on public faces (GMI's GAN), or null
 */
public record AttackInputs(DifferentiableClassifier model, INDArray meanImage, Autoencoder autoencoder,
                           InversionListener listener, boolean recordTrajectory, GenerativePrior generator) {

    /** Prior knowledge an attack can ask for ({@link AttackSpec#needs}). */
    public enum Need {
        /** A prior image, such as the mean training image. */
        MEAN_IMAGE,
        /** An autoencoder (Process-DAE uses the DAE target's own). */
        AUTOENCODER,
        /** A generative prior (GMI's GAN, trained on public faces of other people). */
        GENERATOR
    }

    public AttackInputs {
        Objects.requireNonNull(model, "model");
        listener = listener == null ? InversionListener.none() : listener;
    }

    /** Without a generative prior. */
    public AttackInputs(DifferentiableClassifier model, INDArray meanImage, Autoencoder autoencoder,
                        InversionListener listener, boolean recordTrajectory) {
        this(model, meanImage, autoencoder, listener, recordTrajectory, null);
    }

    /** Only the model: no priors, no listener, no trajectory. */
    public static AttackInputs of(DifferentiableClassifier model) {
        return new AttackInputs(model, null, null, InversionListener.none(), false, null);
    }

    public AttackInputs withListener(InversionListener l) {
        return new AttackInputs(model, meanImage, autoencoder, l, recordTrajectory, generator);
    }

    public AttackInputs withRecordTrajectory(boolean v) {
        return new AttackInputs(model, meanImage, autoencoder, listener, v, generator);
    }

    public AttackInputs withMeanImage(INDArray image) {
        return new AttackInputs(model, image, autoencoder, listener, recordTrajectory, generator);
    }

    public AttackInputs withAutoencoder(Autoencoder ae) {
        return new AttackInputs(model, meanImage, ae, listener, recordTrajectory, generator);
    }

    public AttackInputs withGenerator(GenerativePrior g) {
        return new AttackInputs(model, meanImage, autoencoder, listener, recordTrajectory, g);
    }
}
