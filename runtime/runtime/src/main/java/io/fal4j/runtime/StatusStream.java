package io.fal4j.runtime;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One client's stream of a queued request's status as server-sent events: the status now, then an
 * event after each change (coalesced, each carrying only the log lines not sent yet) and when the
 * queue position moves, keep-alive comments while nothing happens, and the end after COMPLETED.
 */
final class StatusStream {

    private static final long POLL_MILLIS = 250;
    private static final long KEEP_ALIVE_NANOS = 10_000_000_000L;

    private final QueuedRequest request;
    private final HttpServerResponse response;
    private final boolean logs;
    private final BiFunction<QueuedRequest, Integer, Map<String, Object>> status;
    private final Function<Object, String> json;
    private final RequestQueue queue;
    private final Context context;
    private final Vertx vertx;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable watcher = this::changed;
    private volatile int sentLines;
    private volatile int lastPosition = -2;
    private volatile long lastWrite = System.nanoTime();
    private long timer;

    /**
     * @param status the status body of a request, from a log line index (-1 for no logs)
     */
    StatusStream(QueuedRequest request, HttpServerResponse response, boolean logs,
            BiFunction<QueuedRequest, Integer, Map<String, Object>> status, Function<Object, String> json,
            RequestQueue queue, Vertx vertx) {
        this.request = request;
        this.response = response;
        this.logs = logs;
        this.status = status;
        this.json = json;
        this.queue = queue;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
    }

    /** Sends the first event and follows the request until it completes or the client leaves. */
    void start() {
        timer = vertx.setPeriodic(POLL_MILLIS, t -> poll());
        response.closeHandler(v -> stop());
        response.endHandler(v -> stop());
        request.watch(watcher);
        changed();
    }

    private void changed() {
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> flush());
        }
    }

    private void poll() {
        if (request.status() == QueuedRequest.Status.IN_QUEUE && queue.position(request) != lastPosition) {
            changed();
        } else if (System.nanoTime() - lastWrite > KEEP_ALIVE_NANOS && !response.ended()) {
            response.write(": keep-alive\n\n");
            lastWrite = System.nanoTime();
        }
    }

    private void flush() {
        scheduled.set(false);
        if (response.ended() || response.closed()) {
            return;
        }
        QueuedRequest.Status now = request.status();
        Map<String, Object> event = status.apply(request, logs ? sentLines : -1);
        if (logs && now != QueuedRequest.Status.COMPLETED) {
            sentLines += ((List<?>) event.get("logs")).size();
        }
        lastPosition = queue.position(request);
        response.write("data: " + json.apply(event) + "\n\n");
        lastWrite = System.nanoTime();
        if (now == QueuedRequest.Status.COMPLETED) {
            response.end();
        }
    }

    private void stop() {
        request.unwatch(watcher);
        vertx.cancelTimer(timer);
    }
}
