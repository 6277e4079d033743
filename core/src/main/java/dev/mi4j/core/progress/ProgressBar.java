package dev.mi4j.core.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line terminal progress bar on stderr: done/total, percentage, rate, ETA and a free-text
 * status (e.g. "active 12/40, mean cost 0.4312"). Redraws at most every 200 ms. When stderr is
 * not a terminal (CI logs, pipes) it prints a plain line every 10% instead of carriage returns;
 * {@link #silent()} prints nothing (the CLI's {@code --quiet}).
 */
public final class ProgressBar implements AutoCloseable {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final String task;
    private final long total;
    private final PrintStream out;
    private final boolean enabled;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long done;
    private String status = "";
    private long lastDraw;
    private int lastDecile = -1;

    private ProgressBar(String task, long total, PrintStream out, boolean enabled, boolean interactive) {
        this.task = task;
        this.total = Math.max(total, 1);
        this.out = out;
        this.enabled = enabled;
        this.interactive = interactive;
    }

    /** A bar on stderr; interactive redraws only when a console is attached. */
    public static ProgressBar start(String task, long total, boolean quiet) {
        return new ProgressBar(task, total, System.err, !quiet, System.console() != null);
    }

    /** A bar that prints nothing. */
    public static ProgressBar silent() {
        return new ProgressBar("", 1, System.err, false, false);
    }

    public synchronized void step(long n) {
        set(done + n);
    }

    public synchronized void set(long value) {
        done = Math.min(value, total);
        draw(false);
    }

    public synchronized void status(String text) {
        status = text == null ? "" : text;
        draw(false);
    }

    public synchronized long done() {
        return done;
    }

    private void draw(boolean force) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (interactive) {
            if (!force && now - lastDraw < REDRAW_NANOS && done < total) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(now) + "\u001b[K");
            out.flush();
        } else {
            int decile = (int) (done * 10 / total);
            if (force || decile > lastDecile) {
                lastDecile = decile;
                out.println(line(now));
            }
        }
    }

    private String line(long now) {
        double frac = (double) done / total;
        int filled = (int) Math.round(frac * WIDTH);
        StringBuilder bar = new StringBuilder(WIDTH);
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '#' : '-');
        }
        double secs = (now - start) / 1e9;
        String eta = done > 0 && done < total ? " ETA " + format(Duration.ofMillis((long) (secs / done * (total - done) * 1000))) : "";
        return String.format(Locale.ROOT, "%s [%s] %d/%d %3.0f%% %s%s%s", task, bar, done, total, frac * 100,
                format(Duration.ofMillis((long) (secs * 1000))), eta, status.isEmpty() ? "" : "  " + status);
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        if (!enabled) {
            return;
        }
        draw(true);
        if (interactive) {
            out.println();
        }
    }
}
