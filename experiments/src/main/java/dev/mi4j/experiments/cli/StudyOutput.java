package dev.mi4j.experiments.cli;

import dev.mi4j.core.model.GanProvenance;
import dev.mi4j.experiments.config.ExperimentConfig;
import dev.mi4j.experiments.pipeline.AttackStudy;
import dev.mi4j.experiments.pipeline.GanProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code mi4j reproduce} for a config with an {@code attacks:} list or a {@code protocol:}: runs the {@link AttackStudy} and prints it. */
final class StudyOutput {

    private StudyOutput() {
    }

    static int run(ExperimentConfig cfg, Path configFile, AttackStudy.Options options, long startNanos) {
        AttackStudy.Outcome out = new AttackStudy(cfg, configFile, options).run();
        System.out.println(cfg.name() + (options.quick() ? " (quick)" : "") + ": " + cfg.description());
        if (out.protocol() != null) {
            System.out.println("protocol: " + out.protocol());
        }
        if (out.gan() != null) {
            GanProvenance g = out.gan().provenance();
            List<Map<String, Object>> h = g.history();
            Map<String, Object> last = h.isEmpty() ? Map.of() : h.get(h.size() - 1);
            System.out.printf(Locale.ROOT, "GAN prior: %s; %d epochs on %d public images in %.1f s (last epoch D loss %s, G loss %s);"
                            + " samples %s%n", g.architecture(), g.epochs(), g.images(), g.trainingMillis() / 1000.0,
                    last.get("dLoss"), last.get("gLoss"), out.outDir().resolve(GanProvider.SAMPLES_PNG));
        }
        System.out.print(out.table());
        System.out.println("(* = the variant shown in <target>-comparison.png: best evaluation top-1, then mean p_label;"
                + " KNN dist = squared feature distance to the nearest private image; SSIM to the nearest private image)");
        Path report = dev.mi4j.experiments.report.HtmlReport.write(out.outDir());
        System.out.printf(Locale.ROOT, "results: %s (total %.1f s)%nreport: %s%n", out.outDir(), (System.nanoTime() - startNanos) / 1e9, report);
        return 0;
    }
}
