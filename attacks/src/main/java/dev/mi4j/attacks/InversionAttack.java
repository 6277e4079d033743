package dev.mi4j.attacks;

/** A model inversion attack: reconstructs one representative image per target label. */
public interface InversionAttack {

    /**
     * Runs the attack on all targets together.
     *
     * @param targets distinct labels in [0, numClasses)
     */
    InversionResult invert(int[] targets);

    /** Short name for reports and result files. */
    String name();

    /**
     * Refuses target lists an attack cannot run: empty, a label outside [0, numClasses), or a
     * label twice (each target is one row of the batch and one reconstruction).
     *
     * @throws IllegalArgumentException starting with "targets"
     */
    static void checkTargets(int[] targets, int numClasses) {
        if (targets == null || targets.length == 0) {
            throw new IllegalArgumentException("targets must not be empty");
        }
        boolean[] seen = new boolean[numClasses];
        for (int j = 0; j < targets.length; j++) {
            int t = targets[j];
            if (t < 0 || t >= numClasses) {
                throw new IllegalArgumentException("targets: label " + t + " at position " + j
                        + " is out of range [0, " + numClasses + ")");
            }
            if (seen[t]) {
                throw new IllegalArgumentException("targets: label " + t + " appears more than once");
            }
            seen[t] = true;
        }
    }
}
