package dev.mi4j.attacks.miface;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DifferentiableClassifier;
import dev.mi4j.core.model.InputGradient;
import dev.mi4j.core.model.Objective;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test fake whose answers follow a script: the k-th time label t is evaluated it returns
 * cost script[t][k] (the last value repeats), p_label = probs[t][k] (default 1 - cost) and a
 * gradient whose every entry is grads[t][k] (default -1, so that with step lambda the image's
 * pixels rise by lambda per iteration and tell the iteration apart). Records every call.
 */
final class ScriptedClassifier implements DifferentiableClassifier {

    private final ImageShape shape;
    private final int classes;
    private final Map<Integer, double[]> costs = new HashMap<>();
    private final Map<Integer, double[]> probs = new HashMap<>();
    private final Map<Integer, double[]> grads = new HashMap<>();
    private final Map<Integer, Integer> calls = new HashMap<>();
    /** Labels of each call, in order. */
    final List<int[]> callTargets = new ArrayList<>();
    /** Mean pixel of each image received, per label, in order. */
    final Map<Integer, List<Double>> seenMeans = new HashMap<>();
    private long queries;

    ScriptedClassifier(ImageShape shape, int classes) {
        this.shape = shape;
        this.classes = classes;
    }

    ScriptedClassifier costs(int label, double... script) {
        costs.put(label, script);
        return this;
    }

    ScriptedClassifier probs(int label, double... script) {
        probs.put(label, script);
        return this;
    }

    ScriptedClassifier grads(int label, double... script) {
        grads.put(label, script);
        return this;
    }

    private static double at(double[] script, int k) {
        return script[Math.min(k, script.length - 1)];
    }

    @Override
    public InputGradient inputGradient(INDArray images, int[] targets, Objective objective) {
        int m = targets.length;
        queries += m;
        callTargets.add(targets.clone());
        double[] c = new double[m];
        INDArray p = Nd4j.zeros(images.dataType(), m, classes);
        INDArray g = Nd4j.create(images.dataType(), shape.batchShape(m));
        for (int k = 0; k < m; k++) {
            int t = targets[k];
            int call = calls.merge(t, 1, Integer::sum) - 1;
            seenMeans.computeIfAbsent(t, x -> new ArrayList<>()).add(images.slice(k).meanNumber().doubleValue());
            c[k] = at(costs.get(t), call);
            double pk = probs.containsKey(t) ? at(probs.get(t), call) : Math.min(1, Math.max(0, 1 - c[k]));
            p.putScalar(k, t, pk);
            g.slice(k).assign(grads.containsKey(t) ? at(grads.get(t), call) : -1.0);
        }
        return new InputGradient(Nd4j.createFromArray(c).castTo(images.dataType()), p, g);
    }

    int callsOf(int label) {
        return calls.getOrDefault(label, 0);
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public ImageShape inputShape() {
        return shape;
    }

    @Override
    public INDArray predict(INDArray images) {
        throw new UnsupportedOperationException("MI-Face white-box needs only inputGradient");
    }

    @Override
    public INDArray features(INDArray images) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long queryCount() {
        return queries;
    }

    @Override
    public void resetQueryCount() {
        queries = 0;
    }
}
