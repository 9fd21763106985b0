package io.fal4j.runtime;

import com.fasterxml.jackson.databind.util.RawValue;
import io.fal4j.runtime.queue.JournalRecord;
import io.fal4j.runtime.queue.WebhookSigner;
import io.fal4j.runtime.queue.Webhooks;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * fal's queue protocol over HTTP: submit {@code POST /{owner}/{app}[/path]}, then
 * {@code /requests/{id}/status} (polled or streamed as server-sent events), the result at
 * {@code /requests/{id}}, and {@code PUT /requests/{id}/cancel}. A request that carries fal's
 * {@code x-fal-target-url} header (fal's clients send it to a proxy URL) is routed by that URL's
 * path and query, so the clients work against a runner unchanged.
 */
final class QueueRoutes {

    private static final Logger LOG = Logger.getLogger(QueueRoutes.class);

    static final String TARGET_URL = "x-fal-target-url";
    private static final String PROXIED = "fal4j.target";

    private final RequestQueue queue;
    private final Map<String, EndpointHandler> endpoints;
    private final String base;
    private final ResponseWriter responses;
    private final Supplier<AppState> state;
    private final WebhookSigner signer;
    private final Vertx vertx;

    QueueRoutes(RequestQueue queue, Map<String, EndpointHandler> endpoints, String owner, String app,
            ResponseWriter responses, Supplier<AppState> state, WebhookSigner signer, Vertx vertx) {
        this.queue = queue;
        this.endpoints = endpoints;
        this.base = "/" + owner + "/" + app;
        this.responses = responses;
        this.state = state;
        this.signer = signer;
        this.vertx = vertx;
    }

    void register(Router router, BodyHandler body) {
        router.route().order(-10).handler(this::proxy);
        for (EndpointHandler endpoint : endpoints.values()) {
            String path = endpoint.spec().path();
            String submit = base + (path.equals("/") ? "" : path);
            router.route(submit).handler(this::accept);
            router.route(submit).handler(body).handler(http -> submit(http, endpoint))
                    .failureHandler(endpoint::routeFailure);
        }
        router.route(base + "/requests/:id/status/stream").handler(this::stream);
        router.route(base + "/requests/:id/status").handler(this::status);
        router.route(base + "/requests/:id/cancel").handler(this::cancel);
        router.route(base + "/requests/:id").handler(this::result);
        router.route("/.well-known/jwks.json").handler(http -> {
            if (allowed(http, HttpMethod.GET)) {
                // the first call reads or creates the key file
                vertx.executeBlocking(signer::jwks, false).onComplete(keys -> {
                    if (keys.succeeded()) {
                        send(http, 200, keys.result());
                    } else {
                        LOG.error("Cannot publish the webhook signing key", keys.cause());
                        responses.error(http, 500, "Internal Server Error", Map.of());
                    }
                });
            }
        });
    }

    /** A request through fal's proxy convention: routed by the path of the URL it targets. */
    private void proxy(RoutingContext http) {
        String target = http.request().getHeader(TARGET_URL);
        if (target == null || http.get(PROXIED) != null) {
            http.next();
            return;
        }
        URI uri;
        try {
            uri = URI.create(target);
        } catch (IllegalArgumentException e) {
            responses.error(http, 400, "Invalid " + TARGET_URL + ": " + target, Map.of());
            return;
        }
        http.put(PROXIED, uri);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        boolean queued = uri.getHost() != null && uri.getHost().startsWith("queue.");
        if (!queued && (path.equals(base) || path.startsWith(base + "/"))) {
            // fal.run/{owner}/{app}/path: a direct call of the endpoint at /path.
            path = path.length() == base.length() ? "/" : path.substring(base.length());
        }
        http.reroute(http.request().method(), path);
    }

    private void accept(RoutingContext http) {
        if (!allowed(http, HttpMethod.POST)) {
            return;
        }
        AppState now = state.get();
        if (now != AppState.READY && now != AppState.STARTING) {
            responses.error(http, 503, "App not accepting requests: " + now, Map.of());
            return;
        }
        String contentType = http.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (!EndpointHandler.isJson(contentType)) {
            responses.error(http, 415, "Unsupported media type '" + contentType + "': send application/json",
                    Map.of());
            return;
        }
        http.next();
    }

    private void submit(RoutingContext http, EndpointHandler endpoint) {
        String webhook = param(http, "fal_webhook");
        String priority = http.request().getHeader("x-fal-queue-priority");
        String timeout = http.request().getHeader("x-fal-request-timeout");
        Duration startTimeout;
        try {
            if (webhook != null) {
                check(() -> Webhooks.check(webhook), "query", "fal_webhook");
            }
            if (priority != null && !priority.equals("normal") && !priority.equals("low")) {
                throw invalid("header", "x-fal-queue-priority", "must be 'normal' or 'low', not '" + priority + "'");
            }
            startTimeout = timeout == null ? null : seconds(timeout);
        } catch (RunnerException e) {
            responses.failure(http, e, "");
            return;
        }
        Buffer body = http.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        Consumer<Object> enqueue = input -> queue.submit(endpoint.spec().path(), bytes, input,
                webhook == null ? "" : webhook, "low".equals(priority), startTimeout, ResponseWriter.origin(http))
                .whenComplete((request, failure) -> {
                    if (failure != null) {
                        responses.failure(http, failure.getCause() != null ? failure.getCause() : failure, "");
                        return;
                    }
                    http.response().headers().set(RequestIds.HEADER, request.id());
                    Map<String, Object> answer = urls(request);
                    answer.put("queue_position", Math.max(0, queue.position(request)));
                    send(http, 200, answer);
                });
        if (bytes.length <= EndpointHandler.INLINE_BODY) {
            Object input;
            try {
                input = endpoint.bind(bytes);
            } catch (RuntimeException e) {
                responses.failure(http, e, "");
                return;
            }
            enqueue.accept(input);
            return;
        }
        vertx.executeBlocking(() -> endpoint.bind(bytes), false).onComplete(bound -> {
            if (bound.failed()) {
                responses.failure(http, bound.cause(), "");
            } else {
                enqueue.accept(bound.result());
            }
        });
    }

    private void status(RoutingContext http) {
        QueuedRequest request = find(http, HttpMethod.GET);
        if (request != null) {
            send(http, request.status() == QueuedRequest.Status.COMPLETED ? 200 : 202,
                    status(request, logs(http) ? 0 : -1));
        }
    }

    /** Server-sent events: the status now, then after each change (with only the new log lines), until COMPLETED. */
    private void stream(RoutingContext http) {
        QueuedRequest request = find(http, HttpMethod.GET);
        if (request == null) {
            return;
        }
        HttpServerResponse response = http.response().setChunked(true);
        response.headers().set(HttpHeaders.CONTENT_TYPE, "text/event-stream").set(HttpHeaders.CACHE_CONTROL, "no-cache")
                .set(RequestIds.HEADER, request.id());
        new StatusStream(request, response, logs(http), this::status, this::json, queue, vertx).start();
    }

    private void result(RoutingContext http) {
        QueuedRequest request = find(http, HttpMethod.GET);
        if (request == null) {
            return;
        }
        JournalRecord.Completed completed = request.completed();
        if (completed == null) {
            responses.error(http, 400, "Request is still in progress", Map.of(RequestIds.HEADER, request.id()));
            return;
        }
        http.response().headers().set(RequestIds.HEADER, request.id());
        completed.headers().forEach(http.response().headers()::set);
        responses.send(http, completed.status(), Buffer.buffer(completed.body()));
    }

    private void cancel(RoutingContext http) {
        if (!allowed(http, HttpMethod.PUT)) {
            return;
        }
        RequestQueue.CancelOutcome outcome = queue.cancel(http.pathParam("id"));
        int status = switch (outcome) {
            case CANCELLATION_REQUESTED -> 202;
            case ALREADY_COMPLETED -> 400;
            case NOT_FOUND -> 404;
        };
        send(http, status, Map.of("status", outcome.name()));
    }

    /** The status body; {@code logsFrom} is the first log line to include, or -1 for none. */
    Map<String, Object> status(QueuedRequest request, int logsFrom) {
        Map<String, Object> body = urls(request);
        QueuedRequest.Status status = request.status();
        JournalRecord.Completed completed = request.completed();
        body.put("status", status.name());
        if (status == QueuedRequest.Status.IN_QUEUE) {
            body.put("queue_position", Math.max(0, queue.position(request)));
        }
        if (logsFrom >= 0 && status != QueuedRequest.Status.IN_QUEUE) {
            body.put("logs", completed != null && logsFrom == 0 && request.lines(0).isEmpty()
                    ? new RawValue(new String(completed.logs(), StandardCharsets.UTF_8))
                    : request.lines(logsFrom));
        }
        if (completed != null) {
            body.put("metrics", Map.of("inference_time", (completed.at() - completed.startedAt()) / 1000.0));
            if (!completed.ok()) {
                body.put("error", completed.error());
                body.put("error_type", completed.errorType());
            }
        }
        return body;
    }

    private Map<String, Object> urls(QueuedRequest request) {
        String url = request.submitted().origin() + base + "/requests/" + request.id();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "IN_QUEUE");
        body.put("request_id", request.id());
        body.put("response_url", url);
        body.put("status_url", url + "/status");
        body.put("cancel_url", url + "/cancel");
        return body;
    }

    private QueuedRequest find(RoutingContext http, HttpMethod method) {
        if (!allowed(http, method)) {
            return null;
        }
        QueuedRequest request = queue.find(http.pathParam("id"));
        if (request == null) {
            responses.error(http, 404, "Request " + http.pathParam("id") + " not found", Map.of());
        }
        return request;
    }

    private boolean allowed(RoutingContext http, HttpMethod method) {
        if (http.request().method() == method) {
            return true;
        }
        responses.error(http, 405, "Method Not Allowed", Map.of("Allow", method.name()));
        return false;
    }

    private boolean logs(RoutingContext http) {
        String logs = param(http, "logs");
        return logs != null && (logs.equals("1") || logs.equalsIgnoreCase("true"));
    }

    /** A query parameter, from the proxied target URL when there is one. */
    private static String param(RoutingContext http, String name) {
        URI target = http.get(PROXIED);
        if (target == null) {
            return http.request().getParam(name);
        }
        String query = target.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Duration seconds(String value) {
        try {
            double seconds = Double.parseDouble(value.trim());
            if (seconds > 0 && seconds < 1e9) {
                return Duration.ofMillis((long) (seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid("header", "x-fal-request-timeout", "must be a positive number of seconds, not '" + value + "'");
    }

    private static void check(Runnable check, String where, String name) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw invalid(where, name, e.getMessage());
        }
    }

    private static RunnerException invalid(String where, String name, String message) {
        return new RunnerException(422, List.of(new FieldError(List.of(where, name), message, "value_error")),
                Map.of());
    }

    private void send(RoutingContext http, int status, Object body) {
        try {
            responses.send(http, status, responses.json(body));
        } catch (IOException e) {
            http.fail(e);
        }
    }

    String json(Object value) {
        try {
            return responses.json(value).toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
