package dev.mi4j.core.model;

/**
 * What an inversion attack minimises for a target label t, given the model's logits z and
 * probabilities p = softmax(z). Each result records which objective produced it.
 */
public enum Objective {
    /** c = 1 - p_t: the cost of Fredrikson et al. (CCS 2015), Algorithm 1. */
    ONE_MINUS_P("1-p"),
    /** c = -log p_t: the cross-entropy; keeps a useful gradient where p_t is tiny. */
    NEG_LOG_P("-log p"),
    /** c = -z_t: the raw target logit (as in many later attacks). */
    NEG_LOGIT("-logit"),
    /** c = max_{j != t} z_j - z_t: the margin (Carlini-Wagner style, unbounded). */
    MARGIN("margin");

    private final String symbol;

    Objective(String symbol) {
        this.symbol = symbol;
    }

    /** Short name used in configs, tables and file names. */
    public String symbol() {
        return symbol;
    }

    /** Parses a config or CLI value: the enum name in any case, with '-' or '_', or the symbol. */
    public static Objective parse(String value) {
        String v = value.trim();
        for (Objective o : values()) {
            if (o.name().equalsIgnoreCase(v.replace('-', '_')) || o.symbol.equalsIgnoreCase(v)) {
                return o;
            }
        }
        throw new IllegalArgumentException("objective: unknown value '" + value
                + "' (expected one of one_minus_p, neg_log_p, neg_logit, margin)");
    }
}
