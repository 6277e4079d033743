package dev.mi4j.core.metrics;

/**
 * Metrics of one reconstruction against the private training images of its target identity.
 * Fields that need the evaluation model are NaN / null / false when there is none.
 *
 * @param label                  target label
 * @param identity               target identity name
 * @param nearestTrainingIndex   row in the private training set of the identity's image with the lowest MSE
 * @param mseNearest             MSE to that nearest training image
 * @param psnrNearest            PSNR (dB, peak 1) to it; +Infinity if identical (written as null in JSON)
 * @param ssimNearest            SSIM to it
 * @param mseMean                MSE to the identity's class mean (pixel-wise mean of its training images)
 * @param psnrMean               PSNR to the class mean
 * @param ssimMean               SSIM to the class mean
 * @param evalTop1Label          the evaluation model's top-1 label, null without a model
 * @param evalTop1Correct        top-1 label == target
 * @param evalTop5Correct        target among the evaluation model's 5 most probable labels
 * @param evalPTarget            the evaluation model's probability of the target
 * @param featureDistanceNearest squared L2 distance, in the evaluation model's feature space, to the
 *                               nearest training image of the identity (the "KNN distance")
 * @param lineupCorrect          whether the target identity wins a 5-way lineup in feature space; null
 *                               without a model
 */
public record TargetMetrics(int label, String identity, int nearestTrainingIndex,
                            double mseNearest, double psnrNearest, double ssimNearest,
                            double mseMean, double psnrMean, double ssimMean,
                            Integer evalTop1Label, boolean evalTop1Correct, boolean evalTop5Correct,
                            double evalPTarget, double featureDistanceNearest, Boolean lineupCorrect) {
}
