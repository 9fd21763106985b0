package io.fal4j.runtime.files;

/** A repository could not store a file; transient failures (5xx, 429, timeouts, resets) are worth retrying. */
public final class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    public StoreException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Whether trying again may help. */
    public boolean transientFailure() {
        return transientFailure;
    }
}
