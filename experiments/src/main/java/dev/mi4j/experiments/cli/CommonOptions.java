package dev.mi4j.experiments.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every command takes: --quiet, --verbose. */
public final class CommonOptions {

    @Option(names = {"-q", "--quiet"}, description = "No progress bars and only warnings in the log.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging, and stack traces for errors.")
    boolean verbose;

    /** Applies the log level; called by each command before it starts work. */
    void apply() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (verbose) {
            root.setLevel(Level.DEBUG);
        } else if (quiet) {
            root.setLevel(Level.WARN);
        }
    }

    public boolean quiet() {
        return quiet;
    }

    public boolean verbose() {
        return verbose;
    }
}
