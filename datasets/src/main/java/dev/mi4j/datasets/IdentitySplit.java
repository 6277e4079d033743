package dev.mi4j.datasets;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.data.Split;

/**
 * Identities divided into two disjoint groups: no person appears in both.
 *
 * @param privateSet  the identities the target model is trained on (the attack's victims);
 *                    labels renumbered 0..k-1 in the original label order
 * @param publicSet   the other identities, e.g. an attacker's auxiliary data for priors;
 *                    labels renumbered 0..m-1 likewise
 * @param description how it was made, e.g. "identity-disjoint 20 private/20 public seed 42"
 */
public record IdentitySplit(LabeledImages privateSet, LabeledImages publicSet, String description) {

    /** As a core {@link Split}: train = private identities, test = public identities. */
    public Split toSplit() {
        return new Split(privateSet, publicSet, description);
    }
}
