// 01 - Load the AT&T faces and train a target model.
// Run: notebooks/run 01   (or: notebooks/run 01 --quick)
import dev.mi4j.core.model.*;
import dev.mi4j.core.train.*;
import dev.mi4j.core.eval.*;
import dev.mi4j.core.image.*;
import dev.mi4j.datasets.*;
import java.nio.file.*;
import java.util.*;

boolean quick = "1".equals(System.getenv("MI4J_QUICK"));
Path out = Path.of("runs", "notebooks", "01");

// The dataset resolves through --data-path / MI4J_DATA_DIR / ../shared/datasets / ~/.cache, verified by SHA-256.
var spec = DatasetRegistry.get("att-faces");
var data = Datasets.load("att-faces", Optional.empty(), LoadOptions.defaults(spec));
System.out.println("loaded " + data.images().size() + " images of " + data.images().numClasses()
        + " identities, shape " + data.images().shape() + ", from " + data.resolved().root() + " (" + data.resolved().origin() + ")");

// The dataset's default split (mi4j datasets lists them): for AT&T 7 training and 3 test images per
// identity, seed 42, the split of Fredrikson et al.; the same as Splits.perIdentity(data.images(), 7, 42).
var split = spec.defaultSplit().apply(data.images());
System.out.println(split.description() + ": " + split.train().size() + " train / " + split.test().size() + " test");

// Softmax regression: Nesterov SGD from zero weights (see TrainingConfig.Optimizer for why).
var config = TrainingConfig.defaultsFor(Architecture.SOFTMAX);
if (quick) config = config.withEpochs(20);
var result = Trainer.train(Architecture.SOFTMAX, split.train(), config, true);
var classifier = new NetworkClassifier(result.net(), data.images().shape());
var report = Evaluator.evaluate(classifier, split.test());
System.out.printf("softmax: %d epochs in %.1f s, test accuracy %.3f, top-5 %.3f%n",
        result.epochsRun(), result.millis() / 1000.0, report.accuracy(), report.top5Accuracy());
if (report.accuracy() < (quick ? 0.5 : 0.9)) System.out.println("NOTEBOOK FAILED: accuracy too low");

// Save it with its provenance (dataset hash, split, seed, hyperparameters, versions).
var provenance = Provenance.create("att-faces", data.resolved().manifestSha256(), split.description(), config.seed(),
        Architecture.SOFTMAX, config.asMap(), 40, data.images().shape(), data.images().classNames(),
        result.trainAccuracy(), report.accuracy(), result.epochsRun(), result.millis());
ModelStore.save(new TargetModel(result.net(), provenance), out.resolve("softmax.zip"));
System.out.println("saved " + out.resolve("softmax.zip") + " and " + ModelStore.provenancePath(out.resolve("softmax.zip")));

// Look at a few faces: the first training image of four identities.
var g = Gallery.builder("AT&T faces").columns(List.of("s1", "s2", "s3", "s4"));
g.row("train[0]", List.of(split.train().imagesOf(0).slice(0), split.train().imagesOf(1).slice(0),
        split.train().imagesOf(2).slice(0), split.train().imagesOf(3).slice(0)));
g.write(out.resolve("faces.png"));
System.out.println("wrote " + out.resolve("faces.png"));
/exit
