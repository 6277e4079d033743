package dev.mi4j.experiments.audit;

import dev.mi4j.attacks.attribute.InferenceScores;
import java.util.Locale;

/**
 * How an attribute-inference result becomes a risk level ({@link AttributeAuditConfig} holds the
 * thresholds). Two ways a model leaks its training records' sensitive values:
 * <ul>
 *   <li><b>gain</b>: the attack's accuracy minus the prior baseline's (always answering the most
 *       common value) on the same records, counted only when the one-sided exact McNemar test on
 *       the records where the two disagree says the attack is better with p <= alpha (on 167
 *       records, a handful of lucky guesses is not a leak);</li>
 *   <li><b>exposure</b>: how many records the attack correctly reveals as having the positive
 *       value (e.g. "cheated: Yes"), and with what precision: the prior never names anyone, so a
 *       precise attack that names several people is a disclosure even when its overall accuracy
 *       gain is small (CCS 2015 reports precision for this reason).</li>
 * </ul>
 */
public final class AttributeRisk {

    /**
     * @param risk    the level
     * @param gain    accuracy minus the prior baseline's on the same records
     * @param pValue  one-sided exact McNemar p-value of "the attack is more accurate than the prior"
     * @param because one line: which rule gave the level
     */
    public record Judgement(Risk risk, double gain, double pValue, String because) {
    }

    private AttributeRisk() {
    }

    /**
     * Judges an attack's guesses against the prior's on the same records.
     *
     * @param truth      the records' sensitive values
     * @param guess      the attack's
     * @param priorGuess the prior baseline's
     */
    public static Judgement judge(AttributeAuditConfig cfg, InferenceScores attack, InferenceScores prior, int[] truth,
                                  int[] guess, int[] priorGuess) {
        int better = 0;
        int worse = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean a = guess[i] == truth[i];
            boolean p = priorGuess[i] == truth[i];
            if (a && !p) {
                better++;
            } else if (p && !a) {
                worse++;
            }
        }
        double gain = attack.accuracy() - prior.accuracy();
        double pValue = mcnemarOneSided(better, worse);
        boolean significant = pValue <= cfg.alpha();
        double precision = attack.precision();
        boolean enough = attack.tp() >= cfg.minExposed();
        String gainText = String.format(Locale.ROOT, "accuracy gain %+.3f over the prior (McNemar p = %.3g)", gain, pValue);
        String expText = String.format(Locale.ROOT, "%d positive records revealed at precision %s", attack.tp(),
                Double.isNaN(precision) ? "n/a" : String.format(Locale.ROOT, "%.2f", precision));
        if (significant && gain >= cfg.gainHigh()) {
            return new Judgement(Risk.HIGH, gain, pValue, gainText + " >= " + cfg.gainHigh());
        }
        if (enough && precision >= cfg.precisionHigh()) {
            return new Judgement(Risk.HIGH, gain, pValue, expText + " (>= " + cfg.minExposed() + " at >= " + cfg.precisionHigh() + ")");
        }
        if (significant && gain >= cfg.gainMedium()) {
            return new Judgement(Risk.MEDIUM, gain, pValue, gainText + " >= " + cfg.gainMedium());
        }
        if (enough && precision >= cfg.precisionMedium()) {
            return new Judgement(Risk.MEDIUM, gain, pValue, expText + " (>= " + cfg.minExposed() + " at >= " + cfg.precisionMedium() + ")");
        }
        return new Judgement(Risk.LOW, gain, pValue, gainText + "; " + expText + ": below every threshold");
    }

    /** Whether {@code a} is a stronger result than {@code b}: higher risk, then larger gain. */
    public static boolean stronger(Judgement a, Judgement b) {
        if (a.risk() != b.risk()) {
            return a.risk().compareTo(b.risk()) > 0;
        }
        return a.gain() > b.gain();
    }

    /**
     * P[X >= better] for X ~ Binomial(better + worse, 1/2): the chance that an attack no better than
     * the prior wins at least this many of the records where the two disagree. 1 when they never do.
     */
    static double mcnemarOneSided(int better, int worse) {
        int n = better + worse;
        if (n == 0) {
            return 1.0;
        }
        double sum = 0;
        for (int k = better; k <= n; k++) {
            sum += Math.exp(logChoose(n, k) - n * Math.log(2));
        }
        return Math.min(1.0, sum);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
