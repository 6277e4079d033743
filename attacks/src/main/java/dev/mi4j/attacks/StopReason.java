package dev.mi4j.attacks;

/** Why an inversion stopped working on one target. */
public enum StopReason {
    /** The gamma rule: the target reached the confidence (or, literally, cost) threshold. */
    CONFIDENT,
    /** The window rule: the cost was no lower than the worst of the previous beta costs. */
    NO_PROGRESS,
    /** alpha gradient steps were taken without another rule firing. */
    MAX_ITERATIONS,
    /** A NaN or infinity appeared in the cost, the gradient or the image; the best finite iterate is kept. */
    DIVERGED,
    /** The attacker's query budget would be exceeded by the next gradient estimate; the best iterate so far is kept. */
    QUERY_BUDGET
}
