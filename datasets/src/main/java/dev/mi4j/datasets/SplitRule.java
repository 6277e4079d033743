package dev.mi4j.datasets;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.data.Split;
import java.util.Locale;

/**
 * A seeded per-identity train/test split: each identity contributes either a fixed number of
 * training images ({@code trainPerIdentity}, as the CCS 2015 paper's 7 of AT&T's 10) or a
 * fraction of its own images ({@code trainFraction}, stratified: an identity with 530 images and
 * one with 71 both give the same share), the rest are held out for testing. Exactly one of the two
 * is set. This is what each registered dataset declares as its default
 * ({@link DatasetSpec#defaultSplit()}).
 *
 * @param trainPerIdentity training images per identity, >= 1; or null
 * @param trainFraction    share of each identity's images used for training, in (0, 1); or null
 * @param seed             seed of the shuffle that picks the training images
 */
public record SplitRule(Integer trainPerIdentity, Double trainFraction, long seed) {

    public SplitRule {
        if ((trainPerIdentity == null) == (trainFraction == null)) {
            throw new IllegalArgumentException("give exactly one of trainPerIdentity and trainFraction, got "
                    + trainPerIdentity + " and " + trainFraction);
        }
        if (trainPerIdentity != null && trainPerIdentity < 1) {
            throw new IllegalArgumentException("trainPerIdentity must be >= 1, got " + trainPerIdentity);
        }
        if (trainFraction != null && !(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be > 0 and < 1, got " + trainFraction);
        }
    }

    /** {@code k} training images per identity. */
    public static SplitRule perIdentity(int k, long seed) {
        return new SplitRule(k, null, seed);
    }

    /** {@code fraction} of each identity's images for training. */
    public static SplitRule fraction(double fraction, long seed) {
        return new SplitRule(null, fraction, seed);
    }

    public Split apply(LabeledImages data) {
        return trainPerIdentity != null
                ? Splits.perIdentity(data, trainPerIdentity, seed)
                : Splits.perIdentityFraction(data, trainFraction, seed);
    }

    /** For listings: "7 per identity, seed 42" or "0.7 of each identity, seed 42". */
    public String text() {
        return (trainPerIdentity != null ? trainPerIdentity + " per identity"
                : String.format(Locale.ROOT, "%s of each identity", trainFraction)) + ", seed " + seed;
    }
}
