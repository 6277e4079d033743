package dev.mi4j.core;

/**
 * A failure caused by the user's input (a file, a config field, a parameter) rather than by a
 * bug. The message is one line that names the offending file, field or parameter; the command
 * line prints it without a stack trace and exits with status 2.
 */
public class Mi4jException extends RuntimeException {

    public Mi4jException(String message) {
        super(message);
    }

    public Mi4jException(String message, Throwable cause) {
        super(message, cause);
    }
}
