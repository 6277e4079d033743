package dev.mi4j.attacks.gmi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.InversionResult;
import dev.mi4j.attacks.Reconstruction;
import dev.mi4j.attacks.StopReason;
import dev.mi4j.core.model.Gan;
import dev.mi4j.core.model.NetworkClassifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GMI's latent search: the latent gradient of prior + lambda * identity through target, generator
 * and discriminator against central differences in double precision; GMI's momentum update and
 * clamp step by step; the kept restart; determinism; and that batching does not change a target's
 * numbers (reduction sum) or changes them exactly by the batch mean (reduction mean).
 */
class GmiTest {

    @Test
    void latentGradientMatchesCentralDifferencesInDouble() {
        Gan gan = GmiFixtures.gan(DataType.DOUBLE);
        NetworkClassifier target = GmiFixtures.target(DataType.DOUBLE);
        GmiObjective objective = new GmiObjective(target, gan, 100, 1);
        Nd4j.getRandom().setSeed(3);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 3, GmiFixtures.LATENT).muli(0.7);
        int[] labels = {0, 3, 4};
        GmiObjective.Evaluation ev = objective.evaluate(z, labels);
        double h = 1e-6;
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(ev.prior()[i] + 100 * ev.identity()[i], ev.cost()[i], 1e-9);
            assertTrue(ev.prior()[i] > 0 && ev.identity()[i] > 0);
            for (int j = 0; j < GmiFixtures.LATENT; j++) {
                INDArray zp = z.dup();
                zp.putScalar(i, j, z.getDouble(i, j) + h);
                INDArray zm = z.dup();
                zm.putScalar(i, j, z.getDouble(i, j) - h);
                double fd = (objective.evaluate(zp, labels).cost()[i] - objective.evaluate(zm, labels).cost()[i]) / (2 * h);
                double a = ev.gradient().getDouble(i, j);
                diff += (fd - a) * (fd - a);
                norm += Math.max(fd * fd, a * a);
            }
        }
        double rel = Math.sqrt(diff / norm);
        assertTrue(norm > 1e-6, "the gradient is not trivially zero: " + norm);
        assertTrue(rel < 1e-6, "relative error " + rel);
        // Each term on its own: the prior alone and the identity alone add up to the whole.
        INDArray prior = new GmiObjective(target, gan, 0, 1).evaluate(z, labels).gradient();
        INDArray identity = new GmiObjective(target, gan, 1, 0).evaluate(z, labels).gradient();
        assertTrue(Transforms.abs(prior.add(identity.mul(100)).sub(ev.gradient())).maxNumber().doubleValue() < 1e-9);
    }

    @Test
    void followsGmisMomentumUpdateAndClampStepByStep() {
        Gan gan = GmiFixtures.gan(DataType.DOUBLE);
        NetworkClassifier target = GmiFixtures.target(DataType.DOUBLE);
        GmiParams p = new GmiParams(3, 100, 1, 0.05, 0.9, 1, 2, GmiParams.Reduction.MEAN, 9L);
        int[] targets = {1, 4};
        Gmi gmi = new Gmi(target, gan, p);
        InversionResult result = gmi.invert(targets);
        // By hand: v' = m v - lr g / n; z = clamp(z - m v + (1 + m) v').
        GmiObjective objective = new GmiObjective(target, gan, 100, 1);
        INDArray z = gmi.startCodes(targets);
        INDArray v = Nd4j.zeros(DataType.DOUBLE, z.shape());
        int[] rows = {1, 1, 4, 4};
        for (int i = 0; i < 3; i++) {
            INDArray g = objective.evaluate(z, rows).gradient();
            INDArray next = v.mul(0.9).sub(g.mul(0.05 / 2));
            z = Transforms.min(Transforms.max(z.sub(v.mul(0.9)).add(next.mul(1.9)), -1.0), 1.0);
            v = next;
        }
        assertTrue(z.maxNumber().doubleValue() <= 1 && z.minNumber().doubleValue() >= -1);
        INDArray images = gan.generate(z);
        double[] pFinal = new double[4];
        INDArray probs = target.predict(images);
        for (int k = 0; k < 4; k++) {
            pFinal[k] = probs.getDouble(k, rows[k]);
        }
        for (int t = 0; t < 2; t++) {
            int kept = pFinal[2 * t] >= pFinal[2 * t + 1] ? 2 * t : 2 * t + 1;
            Reconstruction r = result.reconstructions().get(t);
            assertEquals(targets[t], r.label());
            assertEquals(pFinal[kept], r.bestPLabel(), 1e-12, "the restart with the higher final p_label is kept");
            assertTrue(Transforms.abs(images.slice(kept).sub(r.image())).maxNumber().doubleValue() < 1e-12);
            assertEquals(3, r.iterations());
            assertEquals(StopReason.MAX_ITERATIONS, r.stopReason());
            // White-box: 3 gradient calls and the final predict, per restart.
            assertEquals(2 * 4, r.queries());
        }
        assertEquals(16, result.totalQueries());
        assertEquals("GMI", result.attackName());
        assertEquals(2, result.params().get("restarts"));
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherStarts() {
        Gan gan = GmiFixtures.gan(DataType.FLOAT);
        NetworkClassifier target = GmiFixtures.target(DataType.FLOAT);
        GmiParams p = new GmiParams(4, 100, 1, 0.02, 0.9, 1, 3, GmiParams.Reduction.MEAN, 5L);
        InversionResult a = new Gmi(target, gan, p).recordTrajectory(true).invert(new int[] {0, 2, 3});
        InversionResult b = new Gmi(target, gan, p).recordTrajectory(true).invert(new int[] {0, 2, 3});
        for (int t = 0; t < 3; t++) {
            assertEquals(a.reconstructions().get(t).image(), b.reconstructions().get(t).image());
            assertEquals(a.reconstructions().get(t).bestPLabel(), b.reconstructions().get(t).bestPLabel());
            assertArrayEquals(a.reconstructions().get(t).costTrajectory(), b.reconstructions().get(t).costTrajectory());
            assertEquals(4, a.reconstructions().get(t).costTrajectory().length);
        }
        GmiParams other = new GmiParams(4, 100, 1, 0.02, 0.9, 1, 3, GmiParams.Reduction.MEAN, 6L);
        assertNotEquals(new Gmi(target, gan, p).startCodes(new int[] {0}), new Gmi(target, gan, other).startCodes(new int[] {0}));
        assertNull(new Gmi(target, gan, p).invert(new int[] {1}).reconstructions().get(0).costTrajectory());
    }

    @Test
    void startsDoNotDependOnTheBatchAndSumReductionMakesTargetsIndependent() {
        Gan gan = GmiFixtures.gan(DataType.DOUBLE);
        NetworkClassifier target = GmiFixtures.target(DataType.DOUBLE);
        Gmi gmi = new Gmi(target, gan, new GmiParams(5, 100, 1, 0.02, 0.9, 1, 2, GmiParams.Reduction.SUM, 3L));
        INDArray both = gmi.startCodes(new int[] {2, 4});
        assertEquals(gmi.startCodes(new int[] {4}), both.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all()));
        InversionResult batched = gmi.invert(new int[] {2, 4});
        InversionResult alone = gmi.invert(new int[] {4});
        Reconstruction a = batched.reconstructions().get(1);
        Reconstruction b = alone.reconstructions().get(0);
        assertEquals(b.bestPLabel(), a.bestPLabel(), 1e-10);
        assertTrue(Transforms.abs(a.image().sub(b.image())).maxNumber().doubleValue() < 1e-10);
        // With GMI's mean, a batch of n moves each z by 1/n of its own gradient: lr 0.04 over two
        // identities is lr 0.02 on each alone.
        InversionResult mean = new Gmi(target, gan, new GmiParams(5, 100, 1, 0.04, 0.9, 1, 2, GmiParams.Reduction.MEAN, 3L))
                .invert(new int[] {2, 4});
        InversionResult sum = new Gmi(target, gan, new GmiParams(5, 100, 1, 0.02, 0.9, 1, 2, GmiParams.Reduction.SUM, 3L))
                .invert(new int[] {2, 4});
        for (int t = 0; t < 2; t++) {
            assertEquals(sum.reconstructions().get(t).bestPLabel(), mean.reconstructions().get(t).bestPLabel(), 1e-10);
        }
    }

    @Test
    void theSearchRaisesTheTargetsConfidence() {
        Gan gan = GmiFixtures.gan(DataType.FLOAT);
        NetworkClassifier target = GmiFixtures.target(DataType.FLOAT);
        int[] targets = {0, 1, 2, 3, 4};
        Gmi start = new Gmi(target, gan, new GmiParams(1, 100, 1, 1e-9, 0.9, 1, 1, GmiParams.Reduction.SUM, 1L));
        Gmi search = new Gmi(target, gan, new GmiParams(60, 100, 1, 0.02, 0.9, 1, 1, GmiParams.Reduction.SUM, 1L));
        List<Double> before = new ArrayList<>();
        List<Double> after = new ArrayList<>();
        start.invert(targets).reconstructions().forEach(r -> before.add(r.bestPLabel()));
        search.invert(targets).reconstructions().forEach(r -> after.add(r.bestPLabel()));
        double mb = before.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double ma = after.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        // A tiny random generator clamped to [-1, 1] cannot draw every class; a wrong sign would lower p.
        assertTrue(ma > mb + 0.05, "mean p_label " + mb + " -> " + ma);
    }
}
