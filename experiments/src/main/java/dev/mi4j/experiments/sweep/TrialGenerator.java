package dev.mi4j.experiments.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link SweepSpec} into trials with Arbiter's candidate generators (only the generators:
 * Arbiter's runner loops forever when asked for more candidates than a grid has).
 *
 * <p>Grid: the full product in a fixed order, first parameter slowest. Random: {@code count}
 * distinct candidates from Arbiter's generator seeded with the spec's seed; a draw that repeats
 * an earlier trial is skipped, and when a small discrete space runs out of new combinations the
 * sweep is shorter than {@code count} (logged) instead of looping forever.
 */
public final class TrialGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(TrialGenerator.class);
    /** Draws allowed per wanted trial before a random sweep gives up on finding new combinations. */
    private static final int DRAWS_PER_TRIAL = 50;

    private TrialGenerator() {
    }

    /**
     * @param baseFingerprint the base config's fingerprint (e.g. a hash of the config without the
     *                        swept fields): part of every trial id
     */
    public static List<Trial> generate(SweepSpec spec, String baseFingerprint) {
        ArbiterSpaces.NamedSpaces fixedOnly = ArbiterSpaces.forGrid(spec);
        if (fixedOnly.allFixed()) {
            return List.of(toTrial(fixedOnly.getValue(new double[0]), baseFingerprint));
        }
        return switch (spec.strategy()) {
            case GRID -> grid(spec, baseFingerprint);
            case RANDOM -> random(spec, baseFingerprint);
        };
    }

    private static List<Trial> grid(SweepSpec spec, String fingerprint) {
        long size = spec.gridSize();
        if (size > 1_000_000) {
            throw new IllegalArgumentException("grid: " + size + " trials is more than the 1,000,000 supported");
        }
        // discretizationCount is irrelevant: every leaf is a discrete space over its exact values.
        GridSearchCandidateGenerator gen = new GridSearchCandidateGenerator(ArbiterSpaces.forGrid(spec), 2,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        if (gen.getTotalNumCandidates() != size) {
            throw new IllegalStateException("Arbiter grid has " + gen.getTotalNumCandidates() + " candidates, expected " + size);
        }
        List<Trial> out = new ArrayList<>((int) size);
        Set<String> ids = new HashSet<>();
        while (gen.hasMoreCandidates()) {
            Trial t = toTrial(next(gen), fingerprint);
            if (!ids.add(t.id())) {
                throw new IllegalArgumentException("grid: two combinations give the same trial (" + t.describeParams()
                        + "): a parameter lists equal values such as 1 and 1.0");
            }
            out.add(t);
        }
        return out;
    }

    private static List<Trial> random(SweepSpec spec, String fingerprint) {
        RandomSearchGenerator gen = new RandomSearchGenerator(ArbiterSpaces.forRandom(spec), null);
        gen.setRngSeed(spec.seed());
        List<Trial> out = new ArrayList<>(spec.count());
        Set<String> ids = new HashSet<>();
        long maxDraws = (long) spec.count() * DRAWS_PER_TRIAL;
        for (long draw = 0; out.size() < spec.count() && draw < maxDraws; draw++) {
            Trial t = toTrial(next(gen), fingerprint);
            if (ids.add(t.id())) {
                out.add(t);
            }
        }
        if (out.size() < spec.count()) {
            LOG.warn("random sweep: only {} distinct combinations found in {} draws, {} were asked for",
                    out.size(), maxDraws, spec.count());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static LinkedHashMap<String, Object> next(CandidateGenerator gen) {
        Candidate<?> c = gen.getCandidate();
        if (c.getException() != null) {
            throw new IllegalStateException("Arbiter could not build a candidate: " + c.getException().getMessage(), c.getException());
        }
        return (LinkedHashMap<String, Object>) c.getValue();
    }

    private static Trial toTrial(LinkedHashMap<String, Object> params, String fingerprint) {
        return new Trial(TrialIds.of(fingerprint, params), params);
    }
}
