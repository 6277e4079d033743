package dev.mi4j.experiments.cli;

import dev.mi4j.core.BuildInfo;
import dev.mi4j.core.Mi4jException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mi4j} command. Exit codes: 0 success, 1 internal error (a bug: stack trace with
 * --verbose), 2 user error (bad file, parameter or config: one line naming it), 3 {@code mi4j audit}'s
 * risk reached {@code --fail-on}, 130 interrupted.
 */
@Command(name = "mi4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Model inversion attacks on face-recognition models (Deeplearning4j/ND4J).",
        subcommands = {
                DatasetsCommand.class,
                AttacksCommand.class,
                TrainCommand.class,
                EvaluateCommand.class,
                InvertCommand.class,
                AuditCommand.class,
                ReproduceCommand.class,
                RunCommand.class,
                ReportCommand.class,
                FigureCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    public static final int EXIT_USER_ERROR = 2;
    public static final int EXIT_INTERNAL_ERROR = 1;
    /** {@code mi4j audit --fail-on LEVEL}: the overall risk is at least LEVEL. */
    public static final int EXIT_RISK = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see mi4j --help)");
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handle);
        try {
            return cl.execute(args);
        } catch (LinkageError e) {
            // ND4J initialises its backend in a static initialiser: a backend whose native
            // libraries do not load surfaces as an Error, not an Exception, and not via handle().
            if (!isBackendFailure(e)) {
                throw e;
            }
            cl.getErr().println("mi4j: error: ND4J could not load its backend (the WARN line above says why). A -Pgpu build"
                    + " needs an NVIDIA driver and the CUDA 11.6 libraries; build without -Pgpu for the CPU.");
            return EXIT_USER_ERROR;
        }
    }

    /** True when the cause chain holds ND4J's NoAvailableBackendException. */
    static boolean isBackendFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("NoAvailableBackendException")) {
                return true;
            }
        }
        return false;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.originalArgs().contains("--verbose") || parsed.originalArgs().contains("-v");
        if (isUserError(e)) {
            cl.getErr().println("mi4j: error: " + oneLine(e.getMessage()));
            if (verbose) {
                e.printStackTrace(cl.getErr());
            }
            return EXIT_USER_ERROR;
        }
        cl.getErr().println("mi4j: internal error: " + e + (verbose ? "" : " (run with --verbose for the stack trace)"));
        if (verbose) {
            e.printStackTrace(cl.getErr());
        }
        return EXIT_INTERNAL_ERROR;
    }

    static boolean isUserError(Throwable e) {
        return e instanceof Mi4jException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException;
    }

    /** The repository root (set by the ./mi4j launcher), else the working directory. */
    static java.nio.file.Path home() {
        String h = System.getProperty("mi4j.home");
        if (h != null) {
            return java.nio.file.Path.of(h);
        }
        java.nio.file.Path cwd = java.nio.file.Path.of("").toAbsolutePath();
        for (java.nio.file.Path p = cwd; p != null; p = p.getParent()) {
            if (java.nio.file.Files.isDirectory(p.resolve("configs")) && java.nio.file.Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return cwd;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ");
    }

    /** Version line: mi4j version, git commit, Java. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mi4j " + BuildInfo.version() + " (commit " + BuildInfo.gitCommit() + ")",
                    "Java " + System.getProperty("java.version") + ", Deeplearning4j/ND4J 1.0.0-M2.1"};
        }
    }
}
