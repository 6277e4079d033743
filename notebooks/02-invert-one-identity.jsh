// 02 - Invert one identity with MI-Face and follow its trajectory.
// Run: notebooks/run 02   (trains the softmax target of notebook 01 if it is not there)
import dev.mi4j.core.model.*;
import dev.mi4j.core.train.*;
import dev.mi4j.core.image.*;
import dev.mi4j.core.metrics.*;
import dev.mi4j.attacks.*;
import dev.mi4j.attacks.miface.*;
import dev.mi4j.attacks.miface.process.*;
import dev.mi4j.datasets.*;
import java.nio.file.*;
import java.util.*;

boolean quick = "1".equals(System.getenv("MI4J_QUICK"));
Path out = Path.of("runs", "notebooks", "02");
var data = Datasets.load("att-faces", Optional.empty(), LoadOptions.defaults(DatasetRegistry.ATT_FACES));
var split = Splits.perIdentity(data.images(), 7, 42);

Path saved = Path.of("runs", "notebooks", "01", "softmax.zip");
NetworkClassifier target;
if (Files.exists(saved)) {
    target = ModelStore.load(saved).classifier();
} else {
    var cfg = TrainingConfig.defaultsFor(Architecture.SOFTMAX);
    if (quick) cfg = cfg.withEpochs(20);
    target = new NetworkClassifier(Trainer.train(Architecture.SOFTMAX, split.train(), cfg, true).net(), data.images().shape());
}

// The paper's parameters; record the cost at every step and a snapshot every 250 steps.
int identity = 1;   // label 1 = s2
var params = MiFaceParams.paperDefaults().withRecordTrajectory(true).withSnapshotEvery(250);
if (quick) params = params.withAlpha(300).withLambda(1.0);   // a bigger step, so a short run shows a face
var result = new MiFace(target, params).invert(new int[] {identity});
var r = result.reconstructions().get(0);
System.out.printf("s%d: stop %s after %d iterations, best cost %.4f (p_label %.4f) at iteration %d, %d queries%n",
        identity + 1, r.stopReason(), r.iterations(), r.bestCost(), r.bestPLabel(), r.bestIteration(), r.queries());
double[] curve = r.costTrajectory();
for (int i = 0; i < curve.length; i += Math.max(1, curve.length / 10)) System.out.printf("  iteration %5d  cost %.4f%n", i, curve[i]);

// Compare with the identity's own training images: nearest training image and class mean.
var metrics = new ReconstructionEvaluator(split.train(), null, 1).evaluate(result.images(), new int[] {identity});
var m = metrics.targets().get(0);
System.out.printf("SSIM to nearest training image %.3f, to class mean %.3f; PSNR to class mean %.2f dB%n",
        m.ssimNearest(), m.ssimMean(), m.psnrMean());

// The trajectory as a gallery row: snapshots then the best iterate, next to the class mean.
var cells = new ArrayList<org.nd4j.linalg.api.ndarray.INDArray>(r.snapshots());
cells.add(r.image());
cells.add(split.train().imagesOf(identity).mean(0));
var headers = new ArrayList<String>();
for (int i = 0; i < r.snapshots().size(); i++) headers.add("it " + (i * 250));
headers.add("best"); headers.add("class mean");
Gallery.builder("MI-Face trajectory, s" + (identity + 1)).columns(headers).row("s" + (identity + 1), cells).write(out.resolve("trajectory.png"));
System.out.println("wrote " + out.resolve("trajectory.png"));
if (!(r.bestCost() < curve[0])) System.out.println("NOTEBOOK FAILED: the attack did not lower the cost");
/exit
