package io.fal4j.api;

/**
 * An error an app raises on purpose: the client gets the status and {@code {"detail": message}}.
 *
 * <pre>{@code
 * if (!safetyChecker.isSafe(prompt)) {
 *     throw new AppException(400, "The prompt was flagged by the safety checker");
 * }
 * }</pre>
 */
public class AppException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the error.
     *
     * @param status the HTTP status, 400 to 599
     * @param message the detail sent to the client; it must not hold secrets
     * @throws IllegalArgumentException when the status is not an error status
     */
    public AppException(int status, String message) {
        this(status, message, null);
    }

    /**
     * Creates the error with its cause; the cause goes to the runner's log, never to the client.
     *
     * @param status the HTTP status, 400 to 599
     * @param message the detail sent to the client
     * @param cause what went wrong underneath
     * @throws IllegalArgumentException when the status is not an error status
     */
    public AppException(int status, String message, Throwable cause) {
        super(message, cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("An AppException status is 400 to 599, not " + status);
        }
        this.status = status;
    }

    /** The HTTP status the client gets. */
    public int status() {
        return status;
    }
}
