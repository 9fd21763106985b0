package io.fal4j.runtime;

import io.fal4j.runtime.files.Uploads;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every endpoint of a runner shares: the admission queue, the app's state, the response
 * writer, the event loop and the limits.
 *
 * @param admission the worker slots and their queue
 * @param state the app's current state
 * @param responses writes answers
 * @param vertx timers and offloading
 * @param timeout how long a request may take from arrival
 * @param retryAfter what a 429 tells the client to wait
 * @param maxBodySize the largest body, in bytes
 * @param uploads stores output files
 */
record Serving(Admission admission, Supplier<AppState> state, ResponseWriter responses, Vertx vertx,
        Duration timeout, Duration retryAfter, long maxBodySize, Uploads uploads) {
}
