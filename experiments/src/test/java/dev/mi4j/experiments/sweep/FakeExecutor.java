package dev.mi4j.experiments.sweep;

import dev.mi4j.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A stand-in for the MI-Face pipeline: writes a gallery PNG, two per-target reconstructions and a
 * cost curve, and computes metrics from the parameters (lr, steps, init). Deterministic, including
 * the millis it reports, so results.csv can be compared byte for byte.
 */
class FakeExecutor implements TrialExecutor {

    final AtomicInteger executions = new AtomicInteger();
    final Set<String> executed = ConcurrentHashMap.newKeySet();
    private final long sleepMillis;
    private final String hangTrialId;

    FakeExecutor() {
        this(0, null);
    }

    /** @param hangTrialId a trial that writes its PNG then sleeps a minute (to be killed mid-trial) */
    FakeExecutor(long sleepMillis, String hangTrialId) {
        this.sleepMillis = sleepMillis;
        this.hangTrialId = hangTrialId;
    }

    static SweepSpec grid12() {
        LinkedHashMap<String, ParameterSpace> spaces = new LinkedHashMap<>();
        spaces.put("lr", ParameterSpace.log(0.01, 1, 3));
        spaces.put("steps", ParameterSpace.intRange(100, 200, 100));
        spaces.put("init", ParameterSpace.values(java.util.List.of("zeros", "noise")));
        return new SweepSpec(spaces, Strategy.GRID, 0, 0);
    }

    @Override
    public TrialOutcome execute(Trial trial, Path trialDir) throws Exception {
        executions.incrementAndGet();
        executed.add(trial.id());
        double lr = ((Number) trial.params().get("lr")).doubleValue();
        int steps = ((Number) trial.params().get("steps")).intValue();
        String init = String.valueOf(trial.params().get("init"));
        if (init.startsWith("boom")) {
            throw new IllegalStateException("exploded at\nstep 3 of " + steps);
        }
        int shade = (int) Math.round(255 * Math.min(1, lr)) & 0xff;
        writePng(trialDir.resolve("gallery.png"), 48, 16, shade, steps % 256);
        writePng(trialDir.resolve("s1").resolve("reconstruction.png"), 8, 8, shade, 10);
        writePng(trialDir.resolve("s2").resolve("reconstruction.png"), 8, 8, 255 - shade, 200);
        StringBuilder curve = new StringBuilder("iteration,mean_cost\n");
        for (int i = 0; i <= 10; i++) {
            curve.append(i * steps / 10).append(',').append(String.format(Locale.ROOT, "%.6f", Math.exp(-lr * i))).append('\n');
        }
        AtomicFiles.writeString(trialDir.resolve("cost_curve.csv"), curve.toString());
        if (trial.id().equals(hangTrialId)) {
            Thread.sleep(60_000);
        }
        if (sleepMillis > 0) {
            Thread.sleep(sleepMillis);
        }
        LinkedHashMap<String, Object> metrics = new LinkedHashMap<>();
        double score = lr * steps / 100 + ("noise".equals(init) ? 0.5 : 0);
        metrics.put("accuracy", Math.min(1, score / 3));
        metrics.put("mse", 1 / (1 + score));
        metrics.put("psnr", steps == 200 && lr == 1.0 ? Double.NaN : 10 * Math.log10(1 + score));
        return TrialOutcome.ok(metrics, steps + Math.round(lr * 1000), steps * 40L);
    }

    private static void writePng(Path file, int w, int h, int a, int b) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((a & 0xff) << 16) | (((x * 255 / w) & 0xff) << 8) | (b & 0xff));
            }
        }
        AtomicFiles.writeVia(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new java.io.IOException("no PNG writer");
            }
        });
    }
}
