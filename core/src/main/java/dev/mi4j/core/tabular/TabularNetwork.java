package dev.mi4j.core.tabular;

import dev.mi4j.core.train.GradientHook;
import dev.mi4j.core.train.TabularTrainer;
import dev.mi4j.core.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A Deeplearning4j network over encoded records ({@link TabularEncoding}): multinomial logistic
 * regression (one softmax layer, the pharmacogenetic model of Fredrikson et al. 2014 and the
 * mission's toy example) or a small MLP (one ReLU hidden layer). Both are dense layers only, so
 * DP-SGD's fast per-example clipping applies to them.
 */
public final class TabularNetwork implements TabularClassifier {

    /** The two shapes. */
    public enum Kind {
        LOGREG("logistic regression"), MLP("MLP");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String description() {
            return description;
        }
    }

    /**
     * A trained network and how training went.
     *
     * @param network the classifier
     * @param run     the trainer's report (its defense record, if any)
     */
    public record Trained(TabularNetwork network, TabularTrainer.Result run) {
    }

    private final MultiLayerNetwork net;
    private final TabularEncoding encoding;
    private final List<String> classes;
    private final Kind kind;
    private final int hidden;
    private long queries;

    public TabularNetwork(MultiLayerNetwork net, TabularEncoding encoding, List<String> classes, Kind kind, int hidden) {
        if (net.layerInputSize(0) != encoding.width()) {
            throw new IllegalArgumentException("net: expects " + net.layerInputSize(0) + " inputs, the encoding gives "
                    + encoding.width());
        }
        this.net = net;
        this.encoding = encoding;
        this.classes = List.copyOf(classes);
        this.kind = kind;
        this.hidden = hidden;
    }

    /**
     * The untrained network: Xavier initialisation seeded with {@code seed}, softmax output with
     * cross-entropy, float32.
     *
     * @param hidden units of the MLP's hidden layer (ignored for LOGREG)
     */
    public static MultiLayerNetwork build(Kind kind, int inputs, int hidden, int classes, TrainingConfig cfg) {
        if (inputs < 1 || classes < 2) {
            throw new IllegalArgumentException("inputs and classes: need >= 1 input and >= 2 classes, got " + inputs
                    + " and " + classes);
        }
        if (kind == Kind.MLP && hidden < 1) {
            throw new IllegalArgumentException("hidden: must be >= 1 for an MLP, got " + hidden);
        }
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(cfg.optimizer().updater(cfg.learningRate()));
        if (cfg.l2() > 0) {
            b.l2(cfg.l2());
        }
        NeuralNetConfiguration.ListBuilder lb = b.list();
        int in = inputs;
        if (kind == Kind.MLP) {
            lb.layer(new DenseLayer.Builder().nIn(inputs).nOut(hidden).activation(Activation.RELU).build());
            in = hidden;
        }
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classes)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        return net;
    }

    /**
     * Trains a network of {@code kind} on every record of {@code train}.
     *
     * @param hooks a training defense's hooks (e.g. {@code defense::newHook}), or null for plain training
     */
    public static Trained train(Kind kind, int hidden, TabularData train, TrainingConfig cfg,
                                Supplier<? extends GradientHook> hooks) {
        TabularEncoding enc = new TabularEncoding(train.schema());
        MultiLayerNetwork net = build(kind, enc.width(), hidden, train.numClasses(), cfg);
        INDArray x = enc.encode(train.records());
        INDArray y = Nd4j.zeros(DataType.FLOAT, train.size(), train.numClasses());
        for (int i = 0; i < train.size(); i++) {
            y.putScalar(i, train.label(i), 1.0);
        }
        TabularTrainer trainer = hooks == null ? new TabularTrainer() : new TabularTrainer(hooks);
        TabularTrainer.Result run = trainer.train(net, x, y, cfg);
        return new Trained(new TabularNetwork(net, enc, train.classes(), kind, hidden), run);
    }

    @Override
    public TabularSchema schema() {
        return encoding.schema();
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    /** Softmax probabilities in inference mode. */
    @Override
    public INDArray predict(double[][] records) {
        INDArray x = encoding.encode(records);
        queries += records.length;
        if (records.length == 0) {
            return Nd4j.create(DataType.FLOAT, 0, classes.size());
        }
        return net.output(x, false);
    }

    @Override
    public long queryCount() {
        return queries;
    }

    @Override
    public void resetQueryCount() {
        queries = 0;
    }

    public MultiLayerNetwork network() {
        return net;
    }

    public TabularEncoding encoding() {
        return encoding;
    }

    public Kind kind() {
        return kind;
    }

    /** One line: "logistic regression, 41 inputs -> 5 classes". */
    public String describe() {
        return kind.description() + ", " + encoding.width() + " inputs"
                + (kind == Kind.MLP ? " -> " + hidden + " ReLU" : "") + " -> " + classes.size() + " softmax";
    }

    /** The architecture as a map, for provenance. */
    public Map<String, Object> architecture() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.id());
        m.put("inputs", encoding.width());
        if (kind == Kind.MLP) {
            m.put("hidden", hidden);
        }
        m.put("classes", classes.size());
        return m;
    }
}
