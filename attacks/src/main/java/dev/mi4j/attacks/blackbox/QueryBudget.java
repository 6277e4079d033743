package dev.mi4j.attacks.blackbox;

import dev.mi4j.attacks.QueryBudgetExceededException;

/**
 * The most images an attacker may send to the model, counted by the model's
 * {@code queryCount()} (so a reset of the count restarts the budget).
 *
 * @param maxQueries at least 0; {@link Long#MAX_VALUE} means unlimited
 */
public record QueryBudget(long maxQueries) {

    public QueryBudget {
        if (maxQueries < 0) {
            throw new IllegalArgumentException("maxQueries must be >= 0, got " + maxQueries);
        }
    }

    public static QueryBudget unlimited() {
        return new QueryBudget(Long.MAX_VALUE);
    }

    public boolean isUnlimited() {
        return maxQueries == Long.MAX_VALUE;
    }

    /** Throws, before anything is sent, if {@code requested} more queries would exceed the budget. */
    public void check(long used, long requested) {
        if (used > maxQueries || requested > maxQueries - used) {
            throw new QueryBudgetExceededException(maxQueries, used, requested);
        }
    }
}
