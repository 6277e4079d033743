package dev.mi4j.attacks;

/**
 * How one run of an attack with some parameter overrides is named: in tables
 * ({@code dae + process dae, lambda 100}), as a column of a comparison gallery
 * ({@code process dae, lambda 100}) and as an output folder ({@code dae-process-dae}).
 */
public record RunLabel(String label, String column, String folder) {
}
