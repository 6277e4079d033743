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
}
