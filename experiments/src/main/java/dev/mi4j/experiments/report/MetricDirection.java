package dev.mi4j.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a larger value of a metric is better, inferred from its name so that any executor's
 * metrics can be ranked without configuration. The name is split into lowercase words at
 * non-letters/digits and camelCase boundaries ("mean_mse", "featureDistance" -> [feature, distance],
 * "meanTruePLabel" -> [mean, true, p, label]).
 * <ul>
 *   <li>lower is better if a word is one of: mse, rmse, mae, loss, cost, distance, dist, error,
 *       err, l2, lpips, millis, ms, seconds, time, queries;</li>
 *   <li>otherwise higher is better if a word is one of: accuracy, acc, ssim, psnr, p, prob,
 *       probability, confidence, top1, top5, precision, recall, f1, auc, score, success, rate;</li>
 *   <li>otherwise unknown: the report shows no "best" for it.</li>
 * </ul>
 * The lower-is-better words win, so "error_rate" is lower-better and "success_rate" higher-better.
 */
public enum MetricDirection {
    HIGHER_IS_BETTER, LOWER_IS_BETTER, UNKNOWN;

    private static final Set<String> LOWER = Set.of("mse", "rmse", "mae", "loss", "cost", "distance", "dist", "error",
            "err", "l2", "lpips", "millis", "ms", "seconds", "time", "queries");
    private static final Set<String> HIGHER = Set.of("accuracy", "acc", "ssim", "psnr", "p", "prob", "probability",
            "confidence", "top1", "top5", "precision", "recall", "f1", "auc", "score", "success", "rate");

    public static MetricDirection of(String metric) {
        List<String> words = words(metric);
        if (words.stream().anyMatch(LOWER::contains)) {
            return LOWER_IS_BETTER;
        }
        if (words.stream().anyMatch(HIGHER::contains)) {
            return HIGHER_IS_BETTER;
        }
        return UNKNOWN;
    }

    /** True when {@code a} is strictly better than {@code b} in this direction. */
    public boolean better(double a, double b) {
        return switch (this) {
            case HIGHER_IS_BETTER -> a > b;
            case LOWER_IS_BETTER -> a < b;
            case UNKNOWN -> false;
        };
    }

    public String label() {
        return switch (this) {
            case HIGHER_IS_BETTER -> "higher is better";
            case LOWER_IS_BETTER -> "lower is better";
            case UNKNOWN -> "direction unknown";
        };
    }

    static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        // camelCase boundaries, including a one-letter word before a capitalised one ("meanEvalPTarget")
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z])([A-Z][a-z])", "$1 $2");
        for (String w : spaced.split("[^A-Za-z0-9]+")) {
            if (!w.isEmpty()) {
                out.add(w.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
