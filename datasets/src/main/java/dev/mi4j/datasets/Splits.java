package dev.mi4j.datasets;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.data.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/** Deterministic, seeded train/test splits. */
public final class Splits {

    private Splits() {
    }

    /**
     * Per identity, {@code trainPerIdentity} images for training and the rest for testing,
     * chosen by a shuffle seeded with {@code seed} (identities are shuffled in label order from
     * one generator, so the same data and seed always give the same split). Both sets keep the
     * dataset's order and labels. AT&T with 7: 280 train, 120 test.
     */
    public static Split perIdentity(LabeledImages data, int trainPerIdentity, long seed) {
        if (trainPerIdentity < 1) {
            throw new IllegalArgumentException("trainPerIdentity must be >= 1, got " + trainPerIdentity);
        }
        int[] counts = new int[data.numClasses()];
        int commonCount = -1;
        for (int label = 0; label < data.numClasses(); label++) {
            int n = data.indicesOf(label).length;
            if (n <= trainPerIdentity) {
                throw new Mi4jException("trainPerIdentity " + trainPerIdentity + " leaves no test image for identity '"
                        + data.classNames().get(label) + "', which has " + n + " images");
            }
            commonCount = commonCount == -1 || commonCount == n ? n : -2;
            counts[label] = trainPerIdentity;
        }
        String rest = commonCount > 0 ? String.valueOf(commonCount - trainPerIdentity) : "rest";
        return split(data, counts, seed, "per-identity " + trainPerIdentity + "/" + rest + " seed " + seed);
    }

    /**
     * Stratified: per identity, {@code round(fraction * n)} of its n images for training (at
     * least 1, and at most n - 1 so that every identity is tested), the rest for testing, chosen
     * by the same seeded shuffle as {@link #perIdentity}. LFW-min70 with 0.7: 902 train, 386 test.
     */
    public static Split perIdentityFraction(LabeledImages data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be > 0 and < 1, got " + fraction);
        }
        int[] counts = new int[data.numClasses()];
        int train = 0;
        for (int label = 0; label < data.numClasses(); label++) {
            int n = data.indicesOf(label).length;
            if (n < 2) {
                throw new Mi4jException("a train/test split needs at least 2 images of each identity; '"
                        + data.classNames().get(label) + "' has " + n);
            }
            counts[label] = (int) Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
            train += counts[label];
        }
        return split(data, counts, seed, String.format(Locale.ROOT, "per-identity %s (%d/%d) seed %d",
                fraction, train, data.size() - train, seed));
    }

    /** {@code counts[label]} training images of each identity, picked by one generator in label order. */
    private static Split split(LabeledImages data, int[] counts, long seed, String description) {
        Random rnd = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int label = 0; label < data.numClasses(); label++) {
            List<Integer> shuffled = new ArrayList<>(IntStream.of(data.indicesOf(label)).boxed().toList());
            Collections.shuffle(shuffled, rnd);
            train.addAll(shuffled.subList(0, counts[label]));
            test.addAll(shuffled.subList(counts[label], shuffled.size()));
        }
        return new Split(data.subset(sorted(train), data.name() + "-train"),
                data.subset(sorted(test), data.name() + "-test"), description);
    }

    /**
     * Identities shuffled with {@code seed} and cut in two: the first half (rounded up) is
     * private, the rest public. Each half is relabelled 0..k-1 in original label order.
     */
    public static IdentitySplit identityDisjoint(LabeledImages data, long seed) {
        int k = data.numClasses();
        if (k < 2) {
            throw new Mi4jException("an identity-disjoint split needs at least 2 identities, '" + data.name() + "' has " + k);
        }
        List<Integer> ids = new ArrayList<>(IntStream.range(0, k).boxed().toList());
        Collections.shuffle(ids, new Random(seed));
        int nPrivate = (k + 1) / 2;
        int[] privateIds = sorted(ids.subList(0, nPrivate));
        int[] publicIds = sorted(ids.subList(nPrivate, k));
        return new IdentitySplit(relabelled(data, privateIds, data.name() + "-private"),
                relabelled(data, publicIds, data.name() + "-public"),
                "identity-disjoint " + privateIds.length + " private/" + publicIds.length + " public seed " + seed);
    }

    private static LabeledImages relabelled(LabeledImages data, int[] identities, String name) {
        int[] newLabel = new int[data.numClasses()];
        Arrays.fill(newLabel, -1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < identities.length; i++) {
            newLabel[identities[i]] = i;
            names.add(data.classNames().get(identities[i]));
        }
        int[] idx = IntStream.range(0, data.size()).filter(i -> newLabel[data.labels()[i]] >= 0).toArray();
        LabeledImages sub = data.subset(idx, name);
        int[] labels = Arrays.stream(sub.labels()).map(l -> newLabel[l]).toArray();
        return new LabeledImages(name, sub.images(), labels, names, sub.sources(), sub.shape());
    }

    private static int[] sorted(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
