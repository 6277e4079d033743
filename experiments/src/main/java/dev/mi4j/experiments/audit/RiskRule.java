package dev.mi4j.experiments.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.metrics.TargetMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the audit turns measurements into risk (the {@code risk:} section of the audit config).
 *
 * <p><b>Per identity</b>, from the metrics of its reconstruction. An independent evaluation model,
 * trained by mi4j on the audit dataset's own images and never attacked, judges it twice: its
 * classifier names an identity (top-1), and in its feature space the reconstruction is compared with
 * the private images of the identity and of 4 other identities drawn at random (the 5-way lineup of
 * the paper's human study: won when the identity's nearest private image is strictly the closest).
 * <ul>
 *   <li><b>HIGH</b>: top-1 is the identity AND the lineup is won (AND, if {@code highSsim} &gt; 0, the
 *       SSIM to the identity's nearest private image is at least {@code highSsim}): a model that was
 *       not attacked recognises the person, and the reconstruction is nearer that person's photos than
 *       other people's. A reconstruction with no information about the person gets there with
 *       probability 1/k x 1/5 (k identities);</li>
 *   <li><b>MEDIUM</b>: otherwise top-1 is the identity, or the lineup is won, or the identity is
 *       among the evaluation model's 5 most probable (top-5 counted only on datasets of at least
 *       {@value #TOP5_MIN_IDENTITIES} identities: with 5 identities it always holds);</li>
 *   <li><b>LOW</b>: none of these.</li>
 * </ul>
 *
 * <p><b>Overall</b>: HIGH when at least {@code overallHigh} of the identities are HIGH; else MEDIUM
 * when at least {@code overallMedium} are MEDIUM or HIGH; else LOW. Chance alone rates a share of
 * identities MEDIUM (a random face wins a lineup one time in five): the verdict reports that chance
 * level beside the thresholds, which should stay well above it.
 *
 * <p>Why no pixel threshold by default: the white-box MI-Face reconstructions of the AT&T softmax target
 * (1000 steps) that the evaluation model recognises had an SSIM of only 0.02 to 0.07 to the person's
 * nearest photo: SSIM measures pixel structure, and MI-Face images are noisy, so a pixel threshold
 * would call the paper's own success LOW. {@code highSsim} adds one for stricter gates.
 *
 * @param highSsim      SSIM to the nearest private image a HIGH reconstruction needs as well (0: no pixel test)
 * @param overallHigh   share of HIGH identities from which the model is HIGH risk
 * @param overallMedium share of MEDIUM-or-HIGH identities from which the model is MEDIUM risk
 */
public record RiskRule(@JsonProperty("highSsim") Double highSsim, @JsonProperty("overallHigh") Double overallHigh,
                       @JsonProperty("overallMedium") Double overallMedium) {

    /** Fewer identities than this: top-5 does not count towards MEDIUM. */
    public static final int TOP5_MIN_IDENTITIES = 20;

    public static final RiskRule DEFAULTS = new RiskRule(null, null, null);

    public RiskRule {
        highSsim = highSsim == null ? 0.0 : highSsim;
        overallHigh = overallHigh == null ? 0.2 : overallHigh;
        overallMedium = overallMedium == null ? 0.5 : overallMedium;
        check("risk.highSsim", highSsim, 0, 1);
        check("risk.overallHigh", overallHigh, 0, 1);
        check("risk.overallMedium", overallMedium, 0, 1);
    }

    private static void check(String key, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new Mi4jException(key + " must be in [" + min + ", " + max + "], got " + v);
        }
    }

    /** The risk of one reconstruction of an identity among {@code identities}. */
    public Risk of(TargetMetrics m, int identities) {
        if (m.evalTop1Label() == null) {
            throw new IllegalArgumentException("metrics of " + m.identity() + ": no evaluation model, no risk");
        }
        boolean lineup = Boolean.TRUE.equals(m.lineupCorrect());
        if (m.evalTop1Correct() && lineup && (highSsim <= 0 || m.ssimNearest() >= highSsim)) {
            return Risk.HIGH;
        }
        boolean top5 = identities >= TOP5_MIN_IDENTITIES && m.evalTop5Correct();
        return m.evalTop1Correct() || lineup || top5 ? Risk.MEDIUM : Risk.LOW;
    }

    /** The overall level of these per-identity levels. */
    public Risk overall(List<Risk> levels) {
        if (levels.isEmpty()) {
            return Risk.LOW;
        }
        double high = share(levels, Risk.HIGH);
        double mediumOrHigh = share(levels, Risk.MEDIUM);
        return high >= overallHigh ? Risk.HIGH : mediumOrHigh >= overallMedium ? Risk.MEDIUM : Risk.LOW;
    }

    /** Share of {@code levels} at {@code level} or above. */
    public static double share(List<Risk> levels, Risk level) {
        return levels.isEmpty() ? 0 : levels.stream().filter(r -> r.atLeast(level)).count() / (double) levels.size();
    }

    /** Lineup size on a dataset of {@code identities} identities (the identity and up to 4 others). */
    private static int lineupSize(int identities) {
        return Math.min(5, Math.max(1, identities));
    }

    /**
     * The probability that a reconstruction carrying no information about the identity (a random
     * face) is rated MEDIUM or above on a dataset of {@code identities} identities: it wins the lineup,
     * or lands in the top 5 (where top-5 counts; else top-1), the two taken as independent.
     */
    public static double chanceMediumOrAbove(int identities) {
        double lineup = 1.0 / lineupSize(identities);
        double top = identities >= TOP5_MIN_IDENTITIES ? 5.0 / identities : 1.0 / Math.max(1, identities);
        return 1 - (1 - lineup) * (1 - top);
    }

    /** The probability that a reconstruction carrying no information about the identity is rated HIGH (SSIM test aside). */
    public static double chanceHigh(int identities) {
        return 1.0 / Math.max(1, identities) / lineupSize(identities);
    }

    /** The rule as verdict.json records it: thresholds and the rule in words. */
    public Map<String, Object> describe(int identities) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("highSsim", highSsim);
        m.put("overallHigh", overallHigh);
        m.put("overallMedium", overallMedium);
        m.put("identityRule", "HIGH: the evaluation model's top-1 is the identity and the identity wins the 5-way lineup in"
                + " its feature space" + (highSsim > 0 ? " and SSIM to the nearest private image >= " + highSsim : "")
                + "; MEDIUM: otherwise top-1 or the lineup" + (identities >= TOP5_MIN_IDENTITIES ? " or top-5" : "")
                + "; LOW: none of these. An identity's risk is its risk under the strongest attack run on every identity.");
        m.put("overallRule", "HIGH if at least " + overallHigh + " of the identities are HIGH; else MEDIUM if at least "
                + overallMedium + " are MEDIUM or HIGH; else LOW");
        m.put("chanceHigh", chanceHigh(identities));
        m.put("chanceMediumOrAbove", chanceMediumOrAbove(identities));
        return m;
    }
}
