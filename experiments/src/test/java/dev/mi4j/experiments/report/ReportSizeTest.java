package dev.mi4j.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.experiments.sweep.ParameterSpace;
import dev.mi4j.experiments.sweep.Strategy;
import dev.mi4j.experiments.sweep.SweepRunner;
import dev.mi4j.experiments.sweep.SweepSpec;
import dev.mi4j.experiments.sweep.Trial;
import dev.mi4j.experiments.sweep.TrialGenerator;
import dev.mi4j.experiments.sweep.TrialOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's size as sweeps grow (12 trials, the softmax-grid's count, and 100), from synthetic
 * results: one self-contained file whose chart libraries are inlined once, so it grows by its
 * per-trial data only, and that references nothing on the network. Sizes are printed for the notes.
 */
class ReportSizeTest {

    @TempDir
    Path tmp;

    private long reportBytes(String name, int lambdas, int alphas) throws Exception {
        Path run = tmp.resolve(name);
        LinkedHashMap<String, ParameterSpace> spaces = new LinkedHashMap<>();
        List<Object> l = new java.util.ArrayList<>();
        for (int i = 0; i < lambdas; i++) {
            l.add(0.01 * (i + 1));
        }
        List<Object> a = new java.util.ArrayList<>();
        for (int i = 0; i < alphas; i++) {
            a.add(100 * (i + 1));
        }
        spaces.put("lambda", ParameterSpace.values(l));
        spaces.put("alpha", ParameterSpace.values(a));
        List<Trial> trials = TrialGenerator.generate(new SweepSpec(spaces, Strategy.GRID, 0, 0), name);
        new SweepRunner(run, (trial, dir) -> {
            double lambda = ((Number) trial.params().get("lambda")).doubleValue();
            double alpha = ((Number) trial.params().get("alpha")).doubleValue();
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("top1_accuracy", Math.min(1, lambda * alpha / 50));
            m.put("mean_best_p_label", 1 - Math.exp(-lambda * alpha / 10));
            m.put("ssim_to_mean", 0.1 + lambda);
            return TrialOutcome.ok(m, 1, 1);
        }, 2, true).run(trials);
        Path report = HtmlReport.write(run);
        String html = Files.readString(report);
        assertFalse(Pattern.compile("<(script|link|img)[^>]+(src|href)=\"(https?:)?//").matcher(html).find(),
                "nothing is fetched from the network");
        assertEquals(lambdas * alphas, trials.size());
        return Files.size(report);
    }

    @Test
    void theReportGrowsByItsDataNotByItsLibraries() throws Exception {
        long twelve = reportBytes("grid-12", 4, 3);
        long hundred = reportBytes("grid-100", 10, 10);
        System.out.printf(Locale.ROOT, "report.html: 12 trials %.1f KiB, 100 trials %.1f KiB (%.2f KiB per added trial)%n",
                twelve / 1024.0, hundred / 1024.0, (hundred - twelve) / 1024.0 / 88);
        assertTrue(hundred > twelve, "more trials, more data");
        // The libraries are inlined once: 88 more trials of three metrics add far less than a second copy of the page.
        assertTrue(hundred - twelve < twelve, twelve + " -> " + hundred);
    }
}
