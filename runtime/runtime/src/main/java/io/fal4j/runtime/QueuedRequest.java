package io.fal4j.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fal4j.runtime.queue.JournalRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One request of the durable queue as the runner holds it: what was submitted, where it stands
 * ({@code IN_QUEUE -> IN_PROGRESS -> COMPLETED}), its log lines, and who watches it change.
 */
final class QueuedRequest implements RequestLog {

    enum Status {
        IN_QUEUE, IN_PROGRESS, COMPLETED
    }

    /**
     * A log line as fal's status shows it; progress lines also carry their step and total.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(String message, String timestamp, String level, String source, Integer step, Integer total) {
    }

    private final JournalRecord.Submitted submitted;
    private final int maxLines;
    private final List<Line> lines = new ArrayList<>();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private volatile Object input;
    private volatile Status status = Status.IN_QUEUE;
    private volatile JournalRecord.Completed completed;
    private volatile Invocation invocation;
    private volatile long startedAt;
    private volatile boolean started;

    /**
     * @param input the bound input, or null when it must be bound again (after a restart)
     * @param maxLines how many log lines are kept; later ones are dropped
     */
    QueuedRequest(JournalRecord.Submitted submitted, Object input, int maxLines) {
        this.submitted = submitted;
        this.input = input;
        this.maxLines = maxLines;
    }

    /** A request recovered as completed. */
    static QueuedRequest completed(JournalRecord.Submitted submitted, JournalRecord.Completed completed) {
        QueuedRequest request = new QueuedRequest(submitted, null, 0);
        request.finishing.set(true);
        request.completed = completed;
        request.startedAt = completed.startedAt();
        request.status = Status.COMPLETED;
        return request;
    }

    String id() {
        return submitted.id();
    }

    JournalRecord.Submitted submitted() {
        return submitted;
    }

    Status status() {
        return status;
    }

    JournalRecord.Completed completed() {
        return completed;
    }

    /** The bound input, handed over once: the request does not keep it while it runs. */
    Object takeInput() {
        Object taken = input;
        input = null;
        return taken;
    }

    /**
     * Taken from the queue, about to start: its start time is set, and its log lines kept, from now on,
     * as a fast request may log and answer before {@link #running} is called. Its status stays
     * IN_QUEUE until then, so a request that finds no free slot after all is never seen IN_PROGRESS.
     */
    void starting() {
        this.startedAt = System.currentTimeMillis();
        this.started = true;
    }

    /** Whether it runs now: taken from the queue and not yet answered. */
    boolean runningNow() {
        return started && status != Status.COMPLETED;
    }

    /** Started on a worker slot; a request that has answered already stays COMPLETED. */
    void running(Invocation running) {
        synchronized (this) {
            if (status != Status.IN_QUEUE) {
                return;
            }
            this.invocation = running;
            this.status = Status.IN_PROGRESS;
        }
        changed();
    }

    /** Back in the queue: no slot was free after all. */
    void unstarted(Object boundInput) {
        this.started = false;
        this.input = boundInput;
    }

    /** The running invocation, or null. */
    Invocation invocation() {
        return invocation;
    }

    long startedAt() {
        return startedAt;
    }

    /** Claims the one completion; true for the caller that records it. */
    boolean finish() {
        return finishing.compareAndSet(false, true);
    }

    /** Whether a completion was claimed (it may not be stored yet). */
    boolean finishing() {
        return finishing.get();
    }

    void completed(JournalRecord.Completed record) {
        synchronized (this) {
            this.completed = record;
            this.invocation = null;
            this.status = Status.COMPLETED;
        }
        changed();
    }

    @Override
    public void add(Logger.Level level, String message, String source) {
        String name = switch (level) {
            case FATAL, ERROR -> "ERROR";
            case WARN -> "WARN";
            case INFO -> "INFO";
            default -> "DEBUG";
        };
        append(new Line(message, now(), name, source, null, null));
    }

    @Override
    public void progress(int step, int total) {
        append(new Line("Step " + step + "/" + total, now(), "INFO", USER, step, total));
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private void append(Line line) {
        synchronized (lines) {
            if (lines.size() >= maxLines) {
                return;
            }
            lines.add(line);
        }
        changed();
    }

    /** The log lines from index {@code from} on. */
    List<Line> lines(int from) {
        synchronized (lines) {
            return from >= lines.size() ? List.of() : List.copyOf(lines.subList(from, lines.size()));
        }
    }

    /** Calls {@code watcher} after every change of status or new log line, until it is removed. */
    void watch(Runnable watcher) {
        watchers.add(watcher);
    }

    void unwatch(Runnable watcher) {
        watchers.remove(watcher);
    }

    private void changed() {
        for (Runnable watcher : watchers) {
            watcher.run();
        }
    }
}
