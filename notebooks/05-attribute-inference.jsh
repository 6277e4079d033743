// 05 - Attribute inference, the other face of model inversion (Fredrikson et al. 2014; CCS 2015 Section 4).
// A logistic regression predicts an insurance premium from three yes/no answers; the third, "condition",
// is sensitive. An attacker who knows a person's other two answers and premium queries the model with
// crafted records (the person's answers completed with condition = no, then yes) and infers the hidden one.
// Run: notebooks/run 05            (the study on the steak survey: ./mi4j reproduce fredrikson2015-trees)
import dev.mi4j.core.tabular.*;
import dev.mi4j.core.train.*;
import dev.mi4j.attacks.*;
import dev.mi4j.attacks.attribute.*;
import dev.mi4j.defenses.output.*;
import java.util.*;

boolean quick = "1".equals(System.getenv("MI4J_QUICK"));

// 400 people: premium is "high" exactly when smokes + drinks + 2 * condition >= 2. Condition weighs most:
// whenever smokes + drinks <= 1 the premium gives it away; when both are yes it is high either way.
var noYes = List.of("no", "yes");
var schema = new TabularSchema(List.of(TabularColumn.nominal("smokes", noYes), TabularColumn.nominal("drinks", noYes),
        TabularColumn.nominal("condition", noYes)));
var premium = TabularColumn.nominal("premium", List.of("low", "high"));
var rnd = new Random(7);
int n = 400;
double[][] people = new double[n][];
int[] premiums = new int[n];
List<String> ids = new ArrayList<>();
for (int i = 0; i < n; i++) {
    people[i] = new double[] {rnd.nextInt(2), rnd.nextInt(2), rnd.nextDouble() < 0.3 ? 1 : 0};
    premiums[i] = people[i][0] + people[i][1] + 2 * people[i][2] >= 2 ? 1 : 0;
    ids.add("person" + i);
}
var data = new TabularData("toy-insurance", schema, premium, people, premiums, ids, Map.of("source", "notebook 05"));
int condition = schema.index("condition");

// The model: multinomial logistic regression (DL4J), trained on everyone.
var cfg = new TrainingConfig(quick ? 30 : 80, 32, 0.05, 0, 0, 1, 1, TrainingConfig.Optimizer.ADAM);
var model = TabularNetwork.train(TabularNetwork.Kind.LOGREG, 0, data, cfg, null).network();
System.out.printf("model: %s, accuracy %.3f%n", model.describe(), TabularProvenance.accuracy(model, data));

// The attacker's crafted queries for one person who does not smoke, drinks, and pays the high premium.
model.resetQueryCount();
double[][] crafted = {{0, 1, 0}, {0, 1, 1}};
var answers = model.predict(crafted);
System.out.printf("P(high | smokes no, drinks yes, condition no)  = %.3f%n", answers.getDouble(0, 1));
System.out.printf("P(high | smokes no, drinks yes, condition yes) = %.3f%n", answers.getDouble(1, 1));
double[] prior = data.marginal(condition);
System.out.printf("prior P(condition yes) = %.3f; MAP: %s%n", prior[1],
        prior[1] * answers.getDouble(1, 1) > prior[0] * answers.getDouble(0, 1) ? "condition yes" : "condition no");

// The same, for everyone, through the registered attacks: the prior baseline and the black-box MAP estimator.
double[][] hidden = AttributeTargets.hide(data.records(), condition);
int[] truth = new int[n];
for (int i = 0; i < n; i++) truth[i] = (int) people[i][condition];
var knowledge = AttributeKnowledge.blackBox(model, condition, prior);
for (String name : List.of("attribute-prior", "attribute-blackbox")) {
    var spec = AttackRegistry.attribute(name);
    var result = spec.create(spec.defaults(), knowledge).infer(hidden, data.labels());
    var s = InferenceScores.of(truth, result.inferred(), 1);
    System.out.printf("%-19s accuracy %.3f, precision(yes) %.3f, recall(yes) %.3f, queries %d%n", name, s.accuracy(),
            s.precision(), s.recall(), result.queries());
}

// Only the label released: the attacker reads the likelihood from the model's published confusion matrix.
var labelOnly = new PolicyTabularClassifier(model, OutputPolicies.parse("label"));
var bb = AttackRegistry.attribute("attribute-blackbox");
var labelKnowledge = AttributeKnowledge.blackBox(labelOnly, condition, prior).withConfusion(ConfusionMatrix.of(model, data));
var byLabel = bb.create(bb.defaults().with("output", "labels"), labelKnowledge).infer(hidden, data.labels());
var sl = InferenceScores.of(truth, byLabel.inferred(), 1);
System.out.printf("%-19s accuracy %.3f (label only, confusion matrix)%n", "attribute-blackbox", sl.accuracy());

// Where the premium determines the condition (smokes + drinks <= 1) the attack must be exact.
int determined = 0, right = 0;
for (int i = 0; i < n; i++) {
    if (people[i][0] + people[i][1] <= 1) {
        determined++;
        if (byLabel.inferred()[i] == truth[i]) right++;
    }
}
System.out.printf("people whose premium reveals the condition: %d, inferred right: %d%n", determined, right);
if (right != determined) System.out.println("NOTEBOOK FAILED: the attack missed a condition the premium reveals");
/exit
