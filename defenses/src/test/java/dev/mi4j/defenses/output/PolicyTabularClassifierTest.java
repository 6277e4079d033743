package dev.mi4j.defenses.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.tabular.TabularData;
import dev.mi4j.core.tabular.TabularNetwork;
import dev.mi4j.core.testing.SyntheticTables;
import dev.mi4j.core.train.TrainingConfig;
import dev.mi4j.defenses.dp.DpSgd;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The image countermeasures and DP-SGD on tabular targets. */
class PolicyTabularClassifierTest {

    private static final TabularData TOY = SyntheticTables.threeBinary(300, 4);
    private static final TrainingConfig CFG = new TrainingConfig(15, 32, 0.05, 0, 0, 1, 1, TrainingConfig.Optimizer.ADAM);

    @Test
    void roundingAndLabelOnlyChangeWhatTheCallerSeesNotTheCount() {
        TabularNetwork model = TabularNetwork.train(TabularNetwork.Kind.LOGREG, 0, TOY, CFG, null).network();
        double[][] rec = {TOY.record(0), TOY.record(1)};
        double[] raw = model.predict(rec).getRow(0).toDoubleVector();
        INDArray rounded = new PolicyTabularClassifier(model, OutputPolicies.parse("round:0.1")).predict(rec);
        for (int c = 0; c < 2; c++) {
            assertEquals(Math.round(raw[c] * 10) / 10.0, rounded.getDouble(0, c), 1e-6);
        }
        PolicyTabularClassifier label = new PolicyTabularClassifier(model, OutputPolicies.parse("label"));
        double[] one = label.predict(rec).getRow(0).toDoubleVector();
        assertArrayEquals(raw[1] > raw[0] ? new double[] {0, 1} : new double[] {1, 0}, one, 0);
        assertEquals(6, model.queryCount(), "three calls of two records, counted by the model");
        assertEquals(6, label.queryCount());
    }

    @Test
    void dpSgdTrainsATabularTargetThroughTheSameHookAndReportsItsBudget() {
        DpSgd dp = DpSgd.withSigma(1.0, 1.0, 1e-5);
        TabularNetwork.Trained a = TabularNetwork.train(TabularNetwork.Kind.MLP, 8, TOY, CFG, dp::newHook);
        TabularNetwork.Trained b = TabularNetwork.train(TabularNetwork.Kind.MLP, 8, TOY, CFG, dp::newHook);
        Map<String, Object> report = a.run().defense();
        assertEquals("dp", report.get("name"));
        assertEquals("dense-norms", report.get("perExampleGradients"), "dense layers: the fast per-example path");
        double eps = ((Number) report.get("epsilon")).doubleValue();
        assertTrue(eps > 0 && Double.isFinite(eps), "epsilon " + eps);
        assertArrayEquals(a.network().network().params().data().asFloat(), b.network().network().params().data().asFloat(),
                "seeded noise: the same run twice");
        float[] plain = TabularNetwork.train(TabularNetwork.Kind.MLP, 8, TOY, CFG, null).network().network().params()
                .data().asFloat();
        assertTrue(!java.util.Arrays.equals(plain, a.network().network().params().data().asFloat()),
                "the defense changed the training");
    }
}
