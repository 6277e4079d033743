package dev.mi4j.experiments.audit;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.Classifier;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One attacker's connection to the audited model's prediction API: it passes predict() through and
 * counts the images this attacker sent, from zero, so each black-box run's query budget is its own
 * while the model's own counter (and the model) are left as they are.
 */
final class CountedView implements Classifier {

    private final Classifier model;
    private final AtomicLong queries = new AtomicLong();

    CountedView(Classifier model) {
        this.model = model;
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }

    @Override
    public ImageShape inputShape() {
        return model.inputShape();
    }

    @Override
    public INDArray predict(INDArray images) {
        queries.addAndGet(images.size(0));
        return model.predict(images);
    }

    @Override
    public long queryCount() {
        return queries.get();
    }

    @Override
    public void resetQueryCount() {
        queries.set(0);
    }
}
