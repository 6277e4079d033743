package dev.mi4j.attacks;

/** Progress callback of an inversion, e.g. for the command line's progress bar. */
@FunctionalInterface
public interface InversionListener {

    /**
     * Called once per iteration after the cost of the iterate x_i was evaluated and the stopping
     * rules were applied (iteration 0 is the evaluation of the start image).
     *
     * @param iteration      i, from 0 to alpha
     * @param activeTargets  targets still running after this iteration
     * @param meanActiveCost mean finite cost c(x_i) over the targets evaluated in this iteration
     */
    void onStep(int iteration, int activeTargets, double meanActiveCost);

    /** A listener that does nothing. */
    static InversionListener none() {
        return (iteration, activeTargets, meanActiveCost) -> { };
    }
}
