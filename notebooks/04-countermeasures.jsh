// 04 - The paper's countermeasure: round the released confidences and attack through the rounding.
// Run: notebooks/run 04
import dev.mi4j.core.model.*;
import dev.mi4j.core.train.*;
import dev.mi4j.attacks.*;
import dev.mi4j.attacks.miface.*;
import dev.mi4j.attacks.miface.process.*;
import dev.mi4j.attacks.blackbox.*;
import dev.mi4j.defenses.output.*;
import dev.mi4j.datasets.*;
import java.util.*;

boolean quick = "1".equals(System.getenv("MI4J_QUICK"));
var data = Datasets.load("att-faces", Optional.empty(), LoadOptions.defaults(DatasetRegistry.ATT_FACES));
var split = Splits.perIdentity(data.images(), 7, 42);
var cfg = TrainingConfig.defaultsFor(Architecture.SOFTMAX);
if (quick) cfg = cfg.withEpochs(20);
var target = new NetworkClassifier(Trainer.train(Architecture.SOFTMAX, split.train(), cfg, true).net(), data.images().shape());

int[] identities = quick ? new int[] {0, 1} : new int[] {0, 1, 2, 3, 4, 5, 6, 7};
var params = MiFaceParams.paperDefaults().withLambda(1.0).withAlpha(quick ? 30 : 300);
System.out.println("policy        | p_label seen | true p_label | queries");
for (String spec : List.of("identity", "round:0.001", "round:0.01", "round:0.1")) {
    // The attacker only sees predict() through the policy; gradients are estimated with NES (25 antithetic pairs).
    var attacker = new EstimatedGradientClassifier(new PolicyClassifier(target, OutputPolicies.parse(spec)),
            new NesEstimator(25, 0.01, 1), 512, QueryBudget.unlimited());
    var result = new MiFace(attacker, params).invert(identities);
    double seen = result.reconstructions().stream().mapToDouble(r -> r.bestPLabel()).average().getAsDouble();
    double[] truth = NetworkClassifier.labelProbabilities(target.predict(result.images()), identities);
    System.out.printf("%-13s | %12.3f | %12.3f | %,d%n", spec, seen, Arrays.stream(truth).average().getAsDouble(), attacker.queryCount());
}
// Coarse rounding hides the small confidence changes the gradient estimate relies on: at r = 0.1 the
// attacker sees p_label = 0 around the starting image, every probe looks the same and the estimate is zero.
/exit
