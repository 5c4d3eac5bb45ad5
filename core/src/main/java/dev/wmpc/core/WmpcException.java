package dev.wmpc.core;

/**
 * A failure a user can fix: its message names what is wrong and how to fix it, and the CLI prints it as one line
 * (no stack trace unless --verbose). {@link #exitCode()} is 2 for usage errors, 1 for failures.
 */
public class WmpcException extends RuntimeException {
    private final int exitCode;

    public WmpcException(String message) { this(message, 1, null); }
    public WmpcException(String message, Throwable cause) { this(message, 1, cause); }

    public WmpcException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static WmpcException usage(String message) { return new WmpcException(message, 2, null); }

    public int exitCode() { return exitCode; }
}
