package io.fal4j.runtime;

import io.fal4j.api.AppException;
import io.fal4j.api.File;
import io.fal4j.runtime.files.UploadException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Serves one endpoint: checks the request before its body is read, binds the body, admits the
 * request to a worker slot with a deadline, runs the method there, and answers exactly once.
 */
final class EndpointHandler {

    static final String REQUEST_ID = "fal4j.request-id";
    static final String START = "fal4j.start";
    private static final Logger LOG = Logger.getLogger(EndpointHandler.class);
    /** Bodies up to this size are bound on the I/O thread; larger ones on a worker, so I/O never stalls. */
    static final int INLINE_BODY = 64 * 1024;

    private final EndpointSpec spec;
    private final Object app;
    private final EndpointInvoker invoker;
    private final InputBinding binding;
    private final RunnerMetrics.Endpoint metrics;
    private final boolean filesInOutput;
    private final Serving serving;
    private final Admission admission;
    private final ResponseWriter responses;
    private final Vertx vertx;
    private final Duration timeout;
    private final String retryAfter;

    EndpointHandler(EndpointSpec spec, Object app, EndpointInvoker invoker, InputBinding binding,
            RunnerMetrics.Endpoint metrics, boolean filesInOutput, Serving serving) {
        this.spec = spec;
        this.app = app;
        this.invoker = invoker;
        this.binding = binding;
        this.metrics = metrics;
        this.filesInOutput = filesInOutput;
        this.serving = serving;
        this.admission = serving.admission();
        this.responses = serving.responses();
        this.vertx = serving.vertx();
        this.timeout = serving.timeout();
        this.retryAfter = Long.toString(Math.max(1, serving.retryAfter().toSeconds()));
    }

    EndpointSpec spec() {
        return spec;
    }

    /** First step, before the body is read: request id, method, readiness and content type. */
    void accept(RoutingContext http) {
        long start = System.nanoTime();
        String id = RequestIds.of(http.request().getHeader(RequestIds.HEADER));
        http.put(REQUEST_ID, id);
        http.put(START, start);
        http.response().headers().set(RequestIds.HEADER, id);
        if (http.request().method() != HttpMethod.POST) {
            reject(http, 405, "Method Not Allowed", Map.of("Allow", "POST"));
            return;
        }
        if (!ready(http)) {
            return;
        }
        String contentType = http.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (!isJson(contentType)) {
            reject(http, 415, "Unsupported media type '" + contentType + "': send application/json", Map.of());
            return;
        }
        http.next();
    }

    /** Second step, once the body is read: bind it and admit the request. */
    void handle(RoutingContext http) {
        Buffer body = http.body().buffer();
        if (body == null || body.length() <= INLINE_BODY) {
            admit(http, body);
            return;
        }
        vertx.executeBlocking(() -> bind(body), false).onComplete(bound -> {
            if (bound.succeeded()) {
                submit(http, bound.result());
            } else {
                fail(http, bound.cause());
            }
        });
    }

    /** Answers a failure of the route itself (413 from the body reader, or an unexpected error). */
    void routeFailure(RoutingContext http) {
        if (http.failure() == null && http.statusCode() == 413) {
            reject(http, 413, "Request body is larger than the limit of " + serving.maxBodySize() + " bytes", Map.of());
        } else if (http.failure() != null) {
            fail(http, http.failure());
        } else {
            reject(http, http.statusCode(), "Request failed", Map.of());
        }
    }

    private void admit(RoutingContext http, Buffer body) {
        Object input;
        try {
            input = bind(body);
        } catch (AppException e) {
            fail(http, e);
            return;
        }
        submit(http, input);
    }

    private Object bind(Buffer body) {
        if (body == null) {
            return binding.bind(new byte[0], 0, 0);
        }
        var bytes = body.getByteBuf();
        if (bytes.hasArray()) {
            return binding.bind(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
        }
        byte[] copy = body.getBytes();
        return binding.bind(copy, 0, copy.length);
    }

    private void submit(RoutingContext http, Object input) {
        if (!ready(http)) {
            return;
        }
        Invocation invocation = new Invocation(http.get(REQUEST_ID), new Reply.Http(http, responses), null, this,
                input, http.get(START), timeout);
        invocation.timer(vertx.setTimer(invocation.remainingMillis(), t -> expire(invocation)));
        http.response().closeHandler(v -> cancelByClient(invocation));
        if (!admission.offer(invocation) && invocation.claim()) {
            vertx.cancelTimer(invocation.timer());
            reject(http, 429, "All " + admission.slots() + " slots are busy and " + admission.queueLength()
                    + " requests are waiting; retry later", Map.of("Retry-After", retryAfter));
        }
    }

    /** Runs on a worker slot. */
    void execute(Invocation invocation) {
        if (invocation.answered()) {
            return;
        }
        MDC.put(Invocation.MDC_KEY, invocation.requestId());
        try {
            Object output = invoker.invoke(app, invocation.input(), invocation);
            if (invocation.answered()) {
                return;
            }
            Buffer body = filesInOutput ? withFiles(invocation, output) : responses.json(output);
            admission.release(invocation);
            if (invocation.claim()) {
                vertx.cancelTimer(invocation.timer());
                // counted before the answer goes out, so whoever has the answer finds it counted
                metrics.record(200, invocation.startNanos());
                invocation.reply().send(200, body, Map.of());
            }
        } catch (Throwable failure) {
            admission.release(invocation);
            if (invocation.claim()) {
                vertx.cancelTimer(invocation.timer());
                Problem problem = responses.problem(failure, invocation.requestId());
                metrics.record(problem.status(), invocation.startNanos());
                invocation.reply().send(problem.status(), responses.errorBody(problem.detail()), problem.headers());
            } else {
                LOG.debugf("Request %s failed after it was cancelled (%s): %s", invocation.requestId(),
                        invocation.cancelReason(), failure);
            }
        } finally {
            MDC.remove(Invocation.MDC_KEY);
        }
    }

    /** Stores the output's files (in parallel when there are several), then writes it with their URLs. */
    private Buffer withFiles(Invocation invocation, Object output) throws IOException {
        List<File> files = responses.filesIn(output);
        if (files.isEmpty()) {
            return responses.json(output);
        }
        try {
            return responses.json(output, serving.uploads().storeAll(files, invocation.reply().origin()));
        } catch (UploadException e) {
            LOG.errorf("Request %s: %s", invocation.requestId(), e.getMessage());
            throw new RunnerException(500, "Could not store an output file; request " + invocation.requestId());
        }
    }

    /** The request's deadline passed: 504, and the work, if it runs, sees {@code cancelled()}. */
    private void expire(Invocation invocation) {
        if (!invocation.cancel(Invocation.Cancel.TIMEOUT)) {
            return;
        }
        admission.withdraw(invocation);
        metrics.record(504, invocation.startNanos());
        invocation.reply().send(504, responses.errorBody("Request timed out after " + timeout.toSeconds() + "s"),
                Map.of());
    }

    /**
     * The client went away or cancelled: the work stops and is not answered. False when the
     * request was answered already.
     */
    boolean cancelByClient(Invocation invocation) {
        if (!invocation.cancel(Invocation.Cancel.CLIENT)) {
            return false;
        }
        vertx.cancelTimer(invocation.timer());
        admission.withdraw(invocation);
        metrics.record(499, invocation.startNanos());
        LOG.debugf("Request %s cancelled by the client", invocation.requestId());
        return true;
    }

    /**
     * Starts a queued request on a slot that is free now; null when every slot is busy.
     *
     * @param log where the request's log lines go
     */
    Invocation startQueued(String id, Object input, Reply reply, RequestLog log) {
        Invocation invocation = new Invocation(id, reply, log, this, input, System.nanoTime(), timeout);
        invocation.timer(vertx.setTimer(invocation.remainingMillis(), t -> expire(invocation)));
        if (!admission.tryStart(invocation)) {
            vertx.cancelTimer(invocation.timer());
            return null;
        }
        return invocation;
    }

    /** Binds and validates a JSON body to this endpoint's input type. */
    Object bind(byte[] body) {
        return binding.bind(body, 0, body.length);
    }

    /** The runner gives up on the request at shutdown. */
    void shutDown(Invocation invocation) {
        if (!invocation.cancel(Invocation.Cancel.SHUTDOWN)) {
            return;
        }
        vertx.cancelTimer(invocation.timer());
        invocation.reply().abandon();
        metrics.record(503, invocation.startNanos());
    }

    /** Answers 503 unless the app serves; checked before the body is read and again at admission, as drain may start between. */
    private boolean ready(RoutingContext http) {
        AppState now = serving.state().get();
        if (!now.serving()) {
            reject(http, 503, "App not ready: " + now, Map.of());
        }
        return now.serving();
    }

    private void fail(RoutingContext http, Throwable failure) {
        String id = http.get(REQUEST_ID);
        int status = responses.failure(http, failure, id);
        metrics.record(status, http.get(START));
    }

    private void reject(RoutingContext http, int status, String detail, Map<String, String> headers) {
        Long start = http.get(START);
        metrics.record(status, start != null ? start : System.nanoTime());
        responses.error(http, status, detail, headers);
    }

    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        String mime = parts[0].trim();
        if (!mime.equals("application/json") && !(mime.startsWith("application/") && mime.endsWith("+json"))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "");
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }
}
