package dev.mi4j.experiments.cli;

import dev.mi4j.core.BackendInfo;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.eval.EvaluationReport;
import dev.mi4j.core.eval.Evaluator;
import dev.mi4j.core.io.Json;
import dev.mi4j.core.model.ModelStore;
import dev.mi4j.core.model.TargetModel;
import dev.mi4j.datasets.LoadedDataset;
import dev.mi4j.experiments.config.SplitSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mi4j evaluate: accuracy of a saved model on the held-out images of the split it was trained on. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy, per-class accuracy and the most frequent confusions of a saved model on its held-out split.")
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions data;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model .zip written by mi4j train.")
    Path modelPath;

    @Option(names = "--on", defaultValue = "test", paramLabel = "SET",
            description = "test (held-out images of the model's split), train, or all. Default: ${DEFAULT-VALUE}.")
    String on;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        common.apply();
        TargetModel model = ModelStore.load(modelPath);
        LoadedDataset loaded = data.load();
        BackendInfo.logOnce();
        LabeledImages images = loaded.images();
        model.checkFits(images.shape(), images.numClasses(), images.name());
        SplitSpec split = SplitSpec.fromProvenance(model.provenance().hyperparameters());
        if (split == null) {
            split = SplitSpec.defaultFor(data.spec());
        }
        LabeledImages set = switch (on) {
            case "test" -> split.apply(images).test();
            case "train" -> split.apply(images).train();
            case "all" -> images;
            default -> throw new Mi4jException("--on must be test, train or all, got '" + on + "'");
        };
        EvaluationReport r = Evaluator.evaluate(model.classifier(), set);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", modelPath.toString());
            doc.put("dataset", images.name());
            doc.put("set", on);
            doc.put("split", split);
            doc.put("report", r);
            System.out.println(Json.toJson(doc));
            return 0;
        }
        System.out.printf(Locale.ROOT, "%s on %s (%s images, %s): accuracy %.4f (%d/%d), top-5 %.4f%n",
                model.provenance().architecture(), images.name(), on, set.size() + "", r.accuracy(),
                Math.round(r.accuracy() * r.n()), r.n(), r.top5Accuracy());
        double[] pc = r.perClassAccuracy();
        StringBuilder worst = new StringBuilder();
        Integer[] order = new Integer[pc.length];
        for (int i = 0; i < pc.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(pc[a], pc[b]));
        for (int i = 0; i < Math.min(5, pc.length); i++) {
            worst.append(String.format(Locale.ROOT, "%s %.2f  ", images.classNames().get(order[i]), pc[order[i]]));
        }
        System.out.println("lowest per-class accuracy: " + worst.toString().trim());
        if (!r.topConfusions().isEmpty()) {
            StringBuilder c = new StringBuilder();
            r.topConfusions().stream().limit(5).forEach(x -> c.append(x.trueName()).append("->").append(x.predictedName())
                    .append(" x").append(x.count()).append("  "));
            System.out.println("most frequent confusions: " + c.toString().trim());
        } else {
            System.out.println("no confusions");
        }
        return 0;
    }
}
