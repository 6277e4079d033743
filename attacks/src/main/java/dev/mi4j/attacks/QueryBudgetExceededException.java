package dev.mi4j.attacks;

/**
 * Thrown by a black-box gradient call <em>before</em> it sends any query when sending them
 * would take the attack past its query budget. Nothing was queried by the failing call, so the
 * attack can stop cleanly and report the best image it has so far, with the queries used up
 * to the previous step.
 */
public class QueryBudgetExceededException extends RuntimeException {

    private final long maxQueries;
    private final long used;
    private final long requested;

    public QueryBudgetExceededException(long maxQueries, long used, long requested) {
        super("query budget: " + maxQueries + " queries allowed, " + used
                + " used, the next call needs " + requested);
        this.maxQueries = maxQueries;
        this.used = used;
        this.requested = requested;
    }

    /** The budget, in images sent to the model. */
    public long maxQueries() {
        return maxQueries;
    }

    /** Queries already sent when the call was refused. */
    public long used() {
        return used;
    }

    /** Queries the refused call would have sent. */
    public long requested() {
        return requested;
    }
}
