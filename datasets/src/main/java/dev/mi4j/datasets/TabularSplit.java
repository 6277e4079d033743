package dev.mi4j.datasets;

import dev.mi4j.core.tabular.TabularData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded split of a table's records into members (the records a target is trained on) and
 * non-members (held out): the two populations whose leakage an attribute-inference study compares.
 * Stratified by class, so both halves see every class in proportion: per class, a seeded shuffle of
 * its records, the first round(fraction * count) become members.
 *
 * @param members     the training records
 * @param nonMembers  the held-out records
 * @param description one line for provenance, e.g. "members: 50% of each class of 331 records, seed 1"
 */
public record TabularSplit(TabularData members, TabularData nonMembers, String description) {

    /**
     * Splits {@code data}.
     *
     * @throws IllegalArgumentException for a fraction outside (0, 1)
     */
    public static TabularSplit of(TabularData data, double memberFraction, long seed) {
        if (!(memberFraction > 0 && memberFraction < 1)) {
            throw new IllegalArgumentException("memberFraction: must be in (0, 1), got " + memberFraction);
        }
        Random rnd = new Random(seed);
        List<Integer> in = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < data.numClasses(); c++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.label(i) == c) {
                    idx.add(i);
                }
            }
            Collections.shuffle(idx, rnd);
            int k = (int) Math.round(memberFraction * idx.size());
            in.addAll(idx.subList(0, k));
            out.addAll(idx.subList(k, idx.size()));
        }
        Collections.sort(in);
        Collections.sort(out);
        String d = String.format(java.util.Locale.ROOT, "members: %.0f%% of each class of %d records (%d), seed %d",
                100 * memberFraction, data.size(), in.size(), seed);
        return new TabularSplit(data.subset(in.stream().mapToInt(Integer::intValue).toArray(), "members; " + d),
                data.subset(out.stream().mapToInt(Integer::intValue).toArray(), "non-members; " + d), d);
    }
}
