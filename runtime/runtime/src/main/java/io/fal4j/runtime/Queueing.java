package io.fal4j.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fal4j.runtime.files.AddressPolicy;
import io.fal4j.runtime.queue.Journal;
import io.fal4j.runtime.queue.WebhookSigner;
import io.fal4j.runtime.queue.Webhooks;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The queue's parts, started together and stopped together: the journal, the webhook deliveries,
 * the queue itself, its routes, and the capture of app logs into queued requests' logs.
 */
final class Queueing implements AutoCloseable {

    private final Journal journal;
    private final Webhooks webhooks;
    private final RequestQueue queue;
    private final QueueRoutes routes;
    private final RequestLogCapture capture;

    private Queueing(Journal journal, Webhooks webhooks, RequestQueue queue, QueueRoutes routes,
            RequestLogCapture capture) {
        this.journal = journal;
        this.webhooks = webhooks;
        this.queue = queue;
        this.routes = routes;
        this.capture = capture;
    }

    static Queueing start(AppSpec spec, Fal4jConfig config, List<EndpointHandler> handlers,
            Supplier<AppState> state, ResponseWriter responses, ObjectMapper mapper, Admission admission,
            Vertx vertx) throws IOException {
        Fal4jConfig.Queue settings = config.queue();
        Path dir = settings.dir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "fal4j-queue", spec.name()));
        Journal journal = Journal.open(dir, settings.sync(), settings.segmentSize().asLongValue());
        try {
            WebhookSigner signer = WebhookSigner.at(settings.webhook().keyFile().orElse(dir.resolve("webhook-key.pem")));
            Webhooks webhooks = new Webhooks(vertx, signer, new AddressPolicy(settings.webhook().allowPrivate()),
                    journal, new Webhooks.Settings(settings.webhook().timeout(), settings.webhook().attempts(),
                            settings.webhook().backoff(), settings.owner()));
            Map<String, EndpointHandler> endpoints = new LinkedHashMap<>();
            handlers.forEach(handler -> endpoints.put(handler.spec().path(), handler));
            RequestQueue queue = new RequestQueue(journal, endpoints, state, responses, mapper, webhooks, settings);
            admission.onRelease(queue::pump);
            RequestLogCapture capture = new RequestLogCapture(queue::running);
            Logger.getLogger("").addHandler(capture);
            QueueRoutes routes = new QueueRoutes(queue, endpoints, settings.owner(), spec.name(), responses, state,
                    signer, vertx);
            return new Queueing(journal, webhooks, queue, routes, capture);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    RequestQueue queue() {
        return queue;
    }

    QueueRoutes routes() {
        return routes;
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(capture);
        queue.close();
        webhooks.close();
        journal.close();
    }
}
