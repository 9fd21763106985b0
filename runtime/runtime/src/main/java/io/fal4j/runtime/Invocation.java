package io.fal4j.runtime;

import io.fal4j.api.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One request to an endpoint, from admission to answer: the {@link RequestContext} the app sees, the
 * task a worker runs, and the guarantee that the client is answered exactly once, whether by the
 * work, the timeout, a disconnect or shutdown.
 */
final class Invocation implements RequestContext, Admission.Task {

    /** Why a request stopped before its work finished, and what the client is told. */
    enum Cancel {
        TIMEOUT(504),
        CLIENT(499),
        SHUTDOWN(503);

        final int status;

        Cancel(int status) {
            this.status = status;
        }
    }

    static final String MDC_KEY = "request_id";
    private static final Logger APP_LOG = Logger.getLogger("io.fal4j.app");

    private final String id;
    private final Reply reply;
    private final RequestLog log;
    private final EndpointHandler endpoint;
    private final Object input;
    private final long startNanos;
    private final long deadlineNanos;
    private final Instant deadline;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Cancel cancel;
    private volatile long timer = -1;

    /**
     * @param log where the request's log lines are kept, besides the runner's log; null for none
     */
    Invocation(String id, Reply reply, RequestLog log, EndpointHandler endpoint, Object input, long startNanos,
            Duration timeout) {
        this.id = id;
        this.reply = reply;
        this.log = log;
        this.endpoint = endpoint;
        this.input = input;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + timeout.toNanos();
        this.deadline = Instant.now().plusNanos(deadlineNanos - System.nanoTime());
    }

    @Override
    public void run() {
        endpoint.execute(this);
    }

    @Override
    public boolean releaseOnce() {
        return released.compareAndSet(false, true);
    }

    @Override
    public void abandon() {
        endpoint.shutDown(this);
    }

    @Override
    public String requestId() {
        return id;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public boolean cancelled() {
        return cancel != null || System.nanoTime() - deadlineNanos >= 0;
    }

    @Override
    public void progress(int step, int total) {
        if (total < 1 || step < 0 || step > total) {
            throw new IllegalArgumentException("progress " + step + "/" + total + ": need 0 <= step <= total and total >= 1");
        }
        if (APP_LOG.isEnabled(Logger.Level.DEBUG)) {
            write(step + "/" + total, Logger.Level.DEBUG);
        }
        if (log != null) {
            log.progress(step, total);
        }
    }

    @Override
    public void log(Level level, String message) {
        Logger.Level logLevel = switch (level) {
            case DEBUG -> Logger.Level.DEBUG;
            case INFO -> Logger.Level.INFO;
            case WARNING -> Logger.Level.WARN;
            case ERROR -> Logger.Level.ERROR;
        };
        write(message, logLevel);
        if (log != null) {
            log.add(logLevel, message, RequestLog.USER);
        }
    }

    Object input() {
        return input;
    }

    Reply reply() {
        return reply;
    }

    long startNanos() {
        return startNanos;
    }

    long remainingMillis() {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    void timer(long id) {
        this.timer = id;
    }

    long timer() {
        return timer;
    }

    /** Whether the client has been answered (or is gone). */
    boolean answered() {
        return answered.get();
    }

    /** Claims the one answer; the caller that gets true writes it. */
    boolean claim() {
        return answered.compareAndSet(false, true);
    }

    /** Claims the answer for a cancellation; the work, if running, sees {@link #cancelled()}. */
    boolean cancel(Cancel why) {
        if (!claim()) {
            return false;
        }
        cancel = why;
        return true;
    }

    /** The reason the request was cancelled, or null. */
    Cancel cancelReason() {
        return cancel;
    }

    /** Logs under the request id, also from threads the app started itself. */
    private void write(String message, Logger.Level logLevel) {
        if (!APP_LOG.isEnabled(logLevel)) {
            return; // nor the request id in the MDC for a line nobody will see
        }
        Object previous = MDC.get(MDC_KEY);
        if (!id.equals(previous)) {
            MDC.put(MDC_KEY, id);
        }
        try {
            APP_LOG.log(logLevel, message);
        } finally {
            if (!id.equals(previous)) {
                restore(previous);
            }
        }
    }

    private static void restore(Object previous) {
        if (previous == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, previous);
        }
    }

    @Override
    public String toString() {
        return "Invocation[" + id + "]";
    }
}
