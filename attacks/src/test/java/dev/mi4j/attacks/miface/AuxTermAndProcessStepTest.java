package dev.mi4j.attacks.miface;

import dev.mi4j.attacks.miface.process.ProcessStep;
import dev.mi4j.attacks.miface.process.ProcessSteps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AuxTermAndProcessStepTest {

    /** Central finite differences of the summed cost against the analytic gradient, in double. */
    private static void assertGradientMatches(AuxTerm term) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 3);
        INDArray before = x.dup();
        INDArray grad = term.gradient(x);
        assertArrayEquals(x.shape(), grad.shape());
        assertArrayEquals(new long[] {2}, term.cost(x).shape());
        double h = 1e-6;
        for (long j = 0; j < x.length(); j++) {
            double v = x.getDouble(j);
            x.putScalar(j, v + h);
            double plus = term.cost(x).sumNumber().doubleValue();
            x.putScalar(j, v - h);
            double minus = term.cost(x).sumNumber().doubleValue();
            x.putScalar(j, v);
            assertEquals((plus - minus) / (2 * h), grad.getDouble(j), 1e-6, term.name() + " element " + j);
        }
        assertEquals(before, x, "the batch is not modified");
    }

    @Test
    void l2GradientMatchesFiniteDifferences() {
        assertGradientMatches(AuxTerm.l2(0.3));
        INDArray x = Nd4j.ones(DataType.DOUBLE, 1, 1, 2, 2);
        assertEquals(0.3 * 4, AuxTerm.l2(0.3).cost(x).getDouble(0), 1e-12);
    }

    @Test
    void totalVariationGradientMatchesFiniteDifferences() {
        assertGradientMatches(AuxTerm.totalVariation(0.7));
        // A 1x2x2 checkerboard: four neighbour pairs, each differing by 1.
        INDArray x = Nd4j.createFromArray(new double[] {0, 1, 1, 0}).reshape(1, 1, 2, 2);
        assertEquals(4.0, AuxTerm.totalVariation(1).cost(x).getDouble(0), 1e-12);
        assertEquals(0.0, AuxTerm.totalVariation(1).cost(Nd4j.ones(DataType.DOUBLE, 1, 1, 3, 3)).getDouble(0), 0);
        // Single-row images only have horizontal neighbours.
        INDArray row = Nd4j.createFromArray(new double[] {0, 1, 3}).reshape(1, 1, 1, 3);
        assertEquals(5.0, AuxTerm.totalVariation(1).cost(row).getDouble(0), 1e-12);
    }

    @Test
    void noneIsZeroAndWeightsAreValidated() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 2, 2);
        assertEquals(0.0, AuxTerm.none().cost(x).amaxNumber().doubleValue(), 0);
        assertEquals(0.0, AuxTerm.none().gradient(x).amaxNumber().doubleValue(), 0);
        assertEquals("none", AuxTerm.none().name());
        assertThrows(IllegalArgumentException.class, () -> AuxTerm.l2(-1));
        assertThrows(IllegalArgumentException.class, () -> AuxTerm.totalVariation(Double.NaN));
    }

    private static ProcessStep recording(String name, List<String> log, double add) {
        return new ProcessStep() {
            @Override
            public INDArray apply(INDArray batch) {
                log.add(name);
                return batch.addi(add);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Test
    void chainAppliesInOrderAndNamesItself() {
        List<String> log = new ArrayList<>();
        ProcessStep chain = ProcessSteps.chain(List.of(recording("a", log, 1), recording("b", log, 2)));
        assertEquals("a+b", chain.name());
        INDArray out = chain.apply(Nd4j.zeros(1, 1, 2, 2));
        assertEquals(List.of("a", "b"), log);
        assertEquals(3.0, out.getDouble(0), 0);
        assertSame(ProcessSteps.identity(), ProcessSteps.chain(List.of()));
        INDArray x = Nd4j.ones(1, 1, 2, 2);
        assertSame(x, ProcessSteps.identity().apply(x));
        assertEquals("identity", ProcessSteps.identity().name());
    }
}
