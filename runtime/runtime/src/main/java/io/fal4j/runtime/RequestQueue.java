package io.fal4j.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fal4j.runtime.queue.Journal;
import io.fal4j.runtime.queue.JournalRecord;
import io.fal4j.runtime.queue.Webhooks;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The durable request queue: a submit is acknowledged only once the journal holds it; requests
 * start in order (normal priority before low) whenever a worker slot is free and the app is READY;
 * answers are journaled before they are shown, then kept for the retention time. After a restart,
 * waiting and interrupted requests run (again) under their ids, and undelivered webhooks resume.
 */
final class RequestQueue implements AutoCloseable {

    /** The answer to a cancel. */
    enum CancelOutcome {
        CANCELLATION_REQUESTED, ALREADY_COMPLETED, NOT_FOUND
    }

    static final String TIMEOUT_TYPE = "X-Fal-Request-Timeout-Type";
    private static final Logger LOG = Logger.getLogger(RequestQueue.class);

    private final Journal journal;
    private final Map<String, EndpointHandler> endpoints;
    private final Supplier<AppState> state;
    private final ResponseWriter responses;
    private final ObjectMapper mapper;
    private final Webhooks webhooks;
    private final Fal4jConfig.Queue config;
    private final Map<String, QueuedRequest> requests = new ConcurrentHashMap<>();
    private final ArrayDeque<QueuedRequest> normal = new ArrayDeque<>();
    private final ArrayDeque<QueuedRequest> low = new ArrayDeque<>();
    /** Completed requests, oldest answer first: the order in which they are forgotten. */
    private final ConcurrentLinkedQueue<QueuedRequest> retained = new ConcurrentLinkedQueue<>();
    private final AtomicInteger retainedCount = new AtomicInteger();
    /** The size of both queues, readable without their lock: every freed slot asks it. */
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "fal4j-queue");
        thread.setDaemon(true);
        return thread;
    });

    RequestQueue(Journal journal, Map<String, EndpointHandler> endpoints, Supplier<AppState> state,
            ResponseWriter responses, ObjectMapper mapper, Webhooks webhooks, Fal4jConfig.Queue config) {
        this.journal = journal;
        this.endpoints = endpoints;
        this.state = state;
        this.responses = responses;
        this.mapper = mapper;
        this.webhooks = webhooks;
        this.config = config;
        recover();
        timers.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
        long sweep = Math.max(1000, Math.min(60_000, config.resultTtl().toMillis() / 10));
        timers.scheduleWithFixedDelay(this::forgetExpired, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    private void recover() {
        int pending = 0;
        List<QueuedRequest> completed = new ArrayList<>();
        for (Journal.Entry entry : journal.recovered()) {
            JournalRecord.Submitted submitted = entry.submitted();
            if (entry.completed() != null) {
                QueuedRequest request = QueuedRequest.completed(submitted, entry.completed());
                requests.put(submitted.id(), request);
                completed.add(request);
                JournalRecord.Webhook webhook = entry.webhook();
                if (!submitted.webhook().isEmpty() && (webhook == null || !webhook.done())) {
                    webhooks.deliver(submitted.id(), submitted.webhook(), CompletionSummary.webhookBody(mapper, submitted, entry.completed()),
                            webhook == null ? 0 : webhook.attempts());
                }
                continue;
            }
            QueuedRequest request = new QueuedRequest(submitted, null, config.maxLogLines());
            requests.put(submitted.id(), request);
            (submitted.low() ? low : normal).addLast(request);
            pending++;
            if (entry.starts() > 0) {
                LOG.infof("Request %s was running when the runner stopped; it runs again", submitted.id());
            }
        }
        recount();
        completed.sort(Comparator.comparingLong(request -> request.completed().at()));
        completed.forEach(this::retain);
        if (pending > 0) {
            LOG.infof("%d queued requests recovered from %s", pending, journal.dir());
        }
    }

    /**
     * Stores a request and queues it. The future fails with a {@link RunnerException} (429 when the
     * queue is full, 503 when the journal cannot store it).
     */
    CompletableFuture<QueuedRequest> submit(String endpoint, byte[] body, Object input, String webhook,
            boolean lowPriority, Duration startTimeout, String origin) {
        if (waiting() >= config.maxQueued()) {
            return CompletableFuture.failedFuture(new RunnerException(429, "The queue holds " + config.maxQueued()
                    + " waiting requests, its limit; retry later", Map.of("Retry-After", "1")));
        }
        long now = System.currentTimeMillis();
        JournalRecord.Submitted submitted = new JournalRecord.Submitted(RequestIds.generate(), endpoint, body,
                webhook, lowPriority, now, startTimeout == null ? 0 : now + startTimeout.toMillis(), origin);
        QueuedRequest request = new QueuedRequest(submitted, input, config.maxLogLines());
        return journal.append(submitted).handle((stored, failure) -> {
            if (failure != null) {
                LOG.errorf("Cannot store a queued request: %s", failure.getMessage());
                throw new RunnerException(503, "The queue cannot store the request now; retry later",
                        Map.of("Retry-After", "1"));
            }
            requests.put(submitted.id(), request);
            synchronized (this) {
                (lowPriority ? low : normal).addLast(request);
                recount();
            }
            pump();
            return request;
        });
    }

    /** The request, or null when it is unknown or forgotten. */
    QueuedRequest find(String id) {
        return requests.get(id);
    }

    /** The log of a queued request that is running now, or null. */
    RequestLog running(String id) {
        QueuedRequest request = requests.get(id);
        return request != null && request.runningNow() ? request : null;
    }

    /** How many requests are ahead of this one, or -1 when it is not waiting. */
    synchronized int position(QueuedRequest request) {
        int position = 0;
        for (ArrayDeque<QueuedRequest> queue : List.of(normal, low)) {
            for (QueuedRequest each : queue) {
                if (each == request) {
                    return position;
                }
                position++;
            }
        }
        return -1;
    }

    /** Requests waiting to start. */
    int waiting() {
        return waitingCount.get();
    }

    /** Called, holding the lock, after every change of the queues. */
    private void recount() {
        waitingCount.set(normal.size() + low.size());
    }

    /** Completed requests whose results are kept. */
    int retained() {
        return retainedCount.get();
    }

    /** Starts waiting requests while slots are free and the app is READY. */
    void pump() {
        if (waitingCount.get() == 0 || state.get() != AppState.READY) {
            return;
        }
        List<Runnable> failures = new ArrayList<>();
        synchronized (this) {
            while (true) {
                ArrayDeque<QueuedRequest> queue = !normal.isEmpty() ? normal : low;
                QueuedRequest next = queue.peekFirst();
                if (next == null) {
                    break;
                }
                EndpointHandler endpoint = endpoints.get(next.submitted().endpoint());
                Object input = next.takeInput();
                try {
                    if (endpoint == null) {
                        throw new RunnerException(404, "Path " + next.submitted().endpoint() + " not found");
                    }
                    if (input == null) {
                        input = endpoint.bind(next.submitted().body());
                    }
                } catch (RuntimeException failure) {
                    queue.pollFirst();
                    recount();
                    failures.add(() -> fail(next, failure));
                    continue;
                }
                // Marked first: a fast request can log and answer before startQueued returns.
                next.starting();
                Invocation invocation = endpoint.startQueued(next.id(), input, new QueueReply(next), next);
                if (invocation == null) {
                    next.unstarted(input);
                    break;
                }
                queue.pollFirst();
                recount();
                next.running(invocation);
                journal.append(new JournalRecord.Started(next.id(), System.currentTimeMillis()));
            }
        }
        failures.forEach(Runnable::run);
    }

    /** Cancels a request: a waiting one is removed, a running one is told through its context. */
    CancelOutcome cancel(String id) {
        QueuedRequest request = requests.get(id);
        if (request == null) {
            return CancelOutcome.NOT_FOUND;
        }
        synchronized (this) {
            if (request.finishing()) {
                return CancelOutcome.ALREADY_COMPLETED;
            }
            if (normal.remove(request) || low.remove(request)) {
                recount();
                complete(request, 499, responses.errorBody("Request cancelled before it started"), Map.of());
                return CancelOutcome.CANCELLATION_REQUESTED;
            }
        }
        Invocation running = request.invocation();
        EndpointHandler endpoint = endpoints.get(request.submitted().endpoint());
        if (running == null || !endpoint.cancelByClient(running)) {
            return CancelOutcome.ALREADY_COMPLETED;
        }
        request.add(Logger.Level.INFO, "Cancellation requested", RequestLog.RUNNER);
        complete(request, 499, responses.errorBody("Request cancelled"), Map.of());
        return CancelOutcome.CANCELLATION_REQUESTED;
    }

    private void fail(QueuedRequest request, RuntimeException failure) {
        Problem problem = responses.problem(failure, request.id());
        complete(request, problem.status(), responses.errorBody(problem.detail()), problem.headers());
    }

    /** Records the answer once; it shows as COMPLETED when the journal holds it. */
    private void complete(QueuedRequest request, int status, Buffer body, Map<String, String> headers) {
        if (!request.finish()) {
            return;
        }
        byte[] bytes = body.getBytes();
        String[] error = CompletionSummary.error(mapper, status, bytes);
        byte[] logs;
        try {
            logs = mapper.writeValueAsBytes(request.lines(0));
        } catch (IOException e) {
            logs = "[]".getBytes();
        }
        JournalRecord.Completed completed = new JournalRecord.Completed(request.id(), status, bytes, headers,
                error[0], error[1], logs, request.startedAt(), System.currentTimeMillis());
        journal.append(completed).whenComplete((stored, failure) -> {
            if (failure != null) {
                LOG.errorf("Request %s: its answer could not be journaled (%s); after a restart it runs again",
                        request.id(), failure.getMessage());
            }
            request.completed(completed);
            retain(request);
            if (!request.submitted().webhook().isEmpty()) {
                webhooks.deliver(request.id(), request.submitted().webhook(),
                        CompletionSummary.webhookBody(mapper, request.submitted(), completed), 0);
            }
        });
    }

    private void tick() {
        try {
            expireUnstarted();
            pump();
        } catch (RuntimeException e) {
            LOG.error("Queue tick failed", e);
        }
    }

    /** Requests whose {@code X-Fal-Request-Timeout} passed before they started get 504. */
    private void expireUnstarted() {
        long now = System.currentTimeMillis();
        List<QueuedRequest> expired = new ArrayList<>();
        synchronized (this) {
            for (ArrayDeque<QueuedRequest> queue : List.of(normal, low)) {
                for (Iterator<QueuedRequest> it = queue.iterator(); it.hasNext();) {
                    QueuedRequest request = it.next();
                    long startBy = request.submitted().startBy();
                    if (startBy > 0 && now >= startBy) {
                        it.remove();
                        expired.add(request);
                    }
                }
            }
            recount();
        }
        for (QueuedRequest request : expired) {
            long allowed = request.submitted().startBy() - request.submitted().submittedAt();
            complete(request, 504, responses.errorBody("Request was not started within its timeout of "
                    + allowed / 1000.0 + "s"), Map.of(TIMEOUT_TYPE, "user"));
        }
    }

    private void retain(QueuedRequest request) {
        retained.add(request);
        if (retainedCount.incrementAndGet() > config.maxRetained()) {
            forget(retained.poll());
        }
    }

    /** Completed requests past their retention are forgotten. */
    private void forgetExpired() {
        long cutoff = System.currentTimeMillis() - config.resultTtl().toMillis();
        for (QueuedRequest oldest = retained.peek(); oldest != null && oldest.completed().at() < cutoff;
                oldest = retained.peek()) {
            if (retained.remove(oldest)) {
                forget(oldest);
            }
        }
    }

    private void forget(QueuedRequest request) {
        if (request == null) {
            return;
        }
        retainedCount.decrementAndGet();
        requests.remove(request.id());
        journal.append(new JournalRecord.Expired(request.id()));
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }

    /** Where a queued request's answer goes: into the journal and the request's status. */
    private final class QueueReply implements Reply {

        private final QueuedRequest request;

        QueueReply(QueuedRequest request) {
            this.request = request;
        }

        @Override
        public void send(int status, Buffer body, Map<String, String> headers) {
            complete(request, status, body, headers);
        }

        @Override
        public void abandon() {
            LOG.infof("Request %s stays in the journal and runs again after a restart", request.id());
        }

        @Override
        public String origin() {
            return request.submitted().origin();
        }
    }
}
