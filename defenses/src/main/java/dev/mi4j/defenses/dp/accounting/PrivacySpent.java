package dev.mi4j.defenses.dp.accounting;

/**
 * An (epsilon, delta) guarantee and the Renyi order that gave it.
 *
 * @param epsilon the smallest epsilon over the orders tried (may be infinite)
 * @param delta   the delta it holds at
 * @param order   the optimal order (NaN when no order gave a finite bound); an optimum at the
 *                smallest or largest order tried means the orders should be widened
 */
public record PrivacySpent(double epsilon, double delta, double order) {
}
