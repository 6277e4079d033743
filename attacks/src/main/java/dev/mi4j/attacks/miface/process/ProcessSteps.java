package dev.mi4j.attacks.miface.process;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Factory of process steps. */
public final class ProcessSteps {

    private static final ProcessStep IDENTITY = new ProcessStep() {
        @Override
        public INDArray apply(INDArray batch) {
            return batch;
        }

        @Override
        public String name() {
            return "identity";
        }
    };

    private ProcessSteps() {
    }

    /** Leaves the image unchanged (the paper's white-box default). */
    public static ProcessStep identity() {
        return IDENTITY;
    }

    /** Applies the steps in list order; the name joins theirs with '+'. An empty list is the identity. */
    public static ProcessStep chain(List<ProcessStep> steps) {
        Objects.requireNonNull(steps, "steps");
        List<ProcessStep> copy = List.copyOf(steps);
        if (copy.isEmpty()) {
            return IDENTITY;
        }
        if (copy.size() == 1) {
            return copy.get(0);
        }
        String name = copy.stream().map(ProcessStep::name).collect(Collectors.joining("+"));
        return new ProcessStep() {
            @Override
            public INDArray apply(INDArray batch) {
                INDArray x = batch;
                for (ProcessStep s : copy) {
                    x = s.apply(x);
                }
                return x;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
