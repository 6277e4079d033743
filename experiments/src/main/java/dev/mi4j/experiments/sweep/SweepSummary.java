package dev.mi4j.experiments.sweep;

/**
 * What one {@link SweepRunner#run} did: trials planned, found already finished (skipped),
 * executed now, and how many of those executed now failed.
 */
public record SweepSummary(int planned, int skipped, int executed, int failed) {
}
