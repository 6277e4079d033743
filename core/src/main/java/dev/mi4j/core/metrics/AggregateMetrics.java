package dev.mi4j.core.metrics;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Means over the targets of one evaluation. Every mean skips non-finite values (PSNR is
 * +Infinity for an exact copy; classifier fields are NaN without an evaluation model) and is
 * NaN when nothing is left. Accuracies are fractions in [0, 1], NaN without an evaluation model.
 *
 * @param count number of targets evaluated
 */
public record AggregateMetrics(int count,
                               double meanMseNearest, double meanPsnrNearest, double meanSsimNearest,
                               double meanMseMean, double meanPsnrMean, double meanSsimMean,
                               double top1Accuracy, double top5Accuracy, double meanEvalPTarget,
                               double meanFeatureDistanceNearest, double lineupAccuracy) {

    /** Aggregates per-target metrics; {@code classifierMetrics} false means no evaluation model was used. */
    public static AggregateMetrics of(List<TargetMetrics> targets, boolean classifierMetrics) {
        double top1 = classifierMetrics ? fraction(targets, TargetMetrics::evalTop1Correct) : Double.NaN;
        double top5 = classifierMetrics ? fraction(targets, TargetMetrics::evalTop5Correct) : Double.NaN;
        return new AggregateMetrics(targets.size(),
                meanFinite(targets, TargetMetrics::mseNearest),
                meanFinite(targets, TargetMetrics::psnrNearest),
                meanFinite(targets, TargetMetrics::ssimNearest),
                meanFinite(targets, TargetMetrics::mseMean),
                meanFinite(targets, TargetMetrics::psnrMean),
                meanFinite(targets, TargetMetrics::ssimMean),
                top1, top5,
                meanFinite(targets, TargetMetrics::evalPTarget),
                meanFinite(targets, TargetMetrics::featureDistanceNearest),
                fraction(targets, TargetMetrics::lineupCorrect));
    }

    static double meanFinite(List<TargetMetrics> targets, ToDoubleFunction<TargetMetrics> field) {
        return targets.stream().mapToDouble(field).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** Fraction of true among the non-null values; NaN if all are null. */
    private static double fraction(List<TargetMetrics> targets, Function<TargetMetrics, Boolean> field) {
        List<Boolean> values = targets.stream().map(field).filter(Objects::nonNull).toList();
        return values.isEmpty() ? Double.NaN
                : values.stream().filter(Boolean::booleanValue).count() / (double) values.size();
    }
}
