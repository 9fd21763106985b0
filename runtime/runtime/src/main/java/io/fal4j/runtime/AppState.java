package io.fal4j.runtime;

/** Where a runner is in its life; {@code /health} and the {@code /q/health} checks report it. */
public enum AppState {
    /** {@code setup()} is running; requests get 503. */
    STARTING,
    /** Serving requests. */
    READY,
    /** {@code setup()} failed or took too long; the process exits non-zero shortly. */
    SETUP_FAILED,
    /** SIGTERM arrived: in-flight requests finish, new ones get 503, then teardown and exit 0. */
    DRAINING,
    /** A device error poisoned the runner (a CUDA error); liveness fails so it is replaced. */
    UNHEALTHY;

    /** Whether requests are served. */
    public boolean serving() {
        return this == READY;
    }

    /** Whether the process is still worth keeping (liveness). */
    public boolean alive() {
        return this != SETUP_FAILED && this != UNHEALTHY;
    }

    /** Whether {@code setup()} has completed successfully (startup probe). */
    public boolean started() {
        return this == READY || this == DRAINING || this == UNHEALTHY;
    }
}
