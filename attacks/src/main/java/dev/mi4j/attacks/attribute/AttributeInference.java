package dev.mi4j.attacks.attribute;

/**
 * What an attribute-inference attack concluded.
 *
 * @param inferred  the inferred category index per record
 * @param posterior per record, the normalised scores over the sensitive column's categories (the
 *                  estimator's posterior; the prior where the model told it nothing)
 * @param fallbacks records where every candidate scored zero, so the prior decided
 * @param queries   model queries spent (0 for attacks that read the model instead of querying it)
 * @param millis    wall-clock time
 */
public record AttributeInference(int[] inferred, double[][] posterior, int fallbacks, long queries, long millis) {

    public AttributeInference {
        inferred = inferred.clone();
        double[][] p = new double[posterior.length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = posterior[i].clone();
        }
        posterior = p;
    }

    @Override
    public int[] inferred() {
        return inferred.clone();
    }

    public int size() {
        return inferred.length;
    }
}
