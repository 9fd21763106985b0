package io.fal4j.api;

import java.time.Instant;

/**
 * What an {@link Endpoint} method knows about the request it serves. Declare it as the method's
 * second parameter to get it.
 *
 * <p>Long-running work checks {@link #cancelled()} between steps: it turns true when the request
 * times out, the client goes away, the request is cancelled through the queue API, or the runner
 * drains past its grace period. The runner has answered the client by then; whatever the method
 * returns afterwards is discarded.
 *
 * <pre>{@code
 * for (int step = 0; step < steps; step++) {
 *     ctx.throwIfCancelled();
 *     latents = scheduler.step(unet.forward(latents), step);
 *     ctx.progress(step + 1, steps);
 * }
 * }</pre>
 */
public interface RequestContext {

    /** The request's id: the {@code x-fal-request-id} header sent by the client, or a new one. */
    String requestId();

    /** The instant after which the request has timed out. */
    Instant deadline();

    /** Whether the work should stop: the request was cancelled or its deadline has passed. */
    boolean cancelled();

    /**
     * Stops the work when it should stop.
     *
     * @throws AppException with status 499 when {@link #cancelled()} is true
     */
    default void throwIfCancelled() {
        if (cancelled()) {
            throw new AppException(499, "Request cancelled");
        }
    }

    /**
     * Reports progress, for example one call per denoising step. It appears in the request's logs
     * as {@code step/total}.
     *
     * @param step the number of steps done, from 0 to {@code total}
     * @param total the number of steps in all, at least 1
     */
    void progress(int step, int total);

    /**
     * Adds an {@code INFO} line to the request's logs; it also goes to the runner's log, tagged with
     * the request id.
     */
    default void log(String message) {
        log(Level.INFO, message);
    }

    /** Adds a line at the given level to the request's logs and to the runner's log. */
    void log(Level level, String message);

    /** The level of a log line, as fal's queue API reports it. */
    enum Level {
        /** Detail for debugging. */
        DEBUG,
        /** Normal progress. */
        INFO,
        /** Something unexpected that the request survived. */
        WARNING,
        /** A failure. */
        ERROR
    }
}
