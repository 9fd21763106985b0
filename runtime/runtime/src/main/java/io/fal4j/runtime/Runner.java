package io.fal4j.runtime;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fal4j.api.App;
import io.fal4j.api.RequestContext;
import io.fal4j.runtime.files.CdnFiles;
import io.fal4j.runtime.files.DataUris;
import io.fal4j.runtime.files.Downloads;
import io.fal4j.runtime.files.FileRepository;
import io.fal4j.runtime.files.FileTypes;
import io.fal4j.runtime.files.LocalCdn;
import io.fal4j.runtime.files.S3Cdn;
import io.fal4j.runtime.files.Uploads;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;
import jakarta.validation.Validator;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * The composition root of a runner: builds the app's endpoints, uploads and queue from the build's
 * {@link AppSpec} and the configuration around the {@link AppHost} (whose {@code setup()} is already
 * running), registers the HTTP routes, and stops the app with Quarkus.
 */
@Singleton
public class Runner {

    private static final Logger LOG = Logger.getLogger(Runner.class);

    private final AppSpec spec;
    private final Fal4jConfig config;
    private final RunnerJson json;
    private final Admission admission;
    private final Lifecycle lifecycle;
    private final ResponseWriter responses;
    private final Downloads downloads;
    private final FileRepository cdn;
    private final Uploads uploads;
    private final JvmMeters jvmMeters;
    private final List<EndpointHandler> endpoints = new ArrayList<>();
    private final Queueing queueing;
    private final List<OpenApiDocument.Operation> operations = new ArrayList<>();
    private volatile byte[] openApi;

    Runner(AppSpec spec, Fal4jConfig config, AppHost host, ObjectMapper objectMapper, Validator validator,
            MeterRegistry registry, Vertx vertx) throws Exception {
        this.spec = spec;
        this.config = config;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> appClass = host.appClass();
        App app = host.app();
        this.admission = host.admission();
        this.lifecycle = host.lifecycle();
        this.downloads = new Downloads(vertx, config.files().download());
        this.json = RunnerJson.of(objectMapper, config.limits().maxJsonDepth(),
                config.limits().maxBodySize().asLongValue(), downloads);
        RunnerMetrics metrics = new RunnerMetrics(registry, spec.name(), lifecycle, admission);
        Config quarkus = ConfigProvider.getConfig();
        this.jvmMeters = new JvmMeters(registry,
                !quarkus.getOptionalValue("quarkus.micrometer.binder.jvm", Boolean.class).orElse(false),
                !quarkus.getOptionalValue("quarkus.micrometer.binder.system", Boolean.class).orElse(false));
        this.responses = new ResponseWriter(json.mapper().writer(), lifecycle::deviceFault);
        Fal4jConfig.Files files = config.files();
        this.cdn = files.cdn().kind() == Fal4jConfig.CdnKind.S3 ? new S3Cdn(files.cdn().s3(), files.timeout())
                : new LocalCdn(files.cdn().dir(), files.cdn().publicUrl().map(Object::toString));
        this.uploads = new Uploads(List.of(cdn, new DataUris()), files.repositories(), files.timeout(),
                files.attempts(), files.backoff(), registry);
        Serving serving = new Serving(admission, lifecycle::state, responses, vertx,
                config.limits().requestTimeout().orElse(Duration.ofSeconds(spec.requestTimeoutSeconds())),
                config.limits().retryAfter(), config.limits().maxBodySize().asLongValue(), uploads);
        for (EndpointSpec endpoint : spec.endpoints()) {
            Class<?> input = loader.loadClass(endpoint.inputClass());
            Method method = endpoint.takesContext() ? appClass.getMethod(endpoint.method(), input, RequestContext.class)
                    : appClass.getMethod(endpoint.method(), input);
            JavaType output = json.mapper().constructType(method.getGenericReturnType());
            EndpointInvoker invoker = (EndpointInvoker) loader.loadClass(endpoint.invokerClass())
                    .getDeclaredConstructor().newInstance();
            InputBinding binding = new InputBinding(json.mapper(), input, validator);
            endpoints.add(new EndpointHandler(endpoint, app, invoker, binding, metrics.endpoint(endpoint.path()),
                    FileTypes.mayHoldFiles(json.mapper(), output), serving));
            operations.add(new OpenApiDocument.Operation(endpoint, binding.type(), output));
        }
        this.queueing = config.queue().enabled() ? Queueing.start(spec, config, endpoints, lifecycle::state,
                responses, json.mapper(), admission, vertx) : null;
        if (queueing != null) {
            metrics.queue(spec.name(), queueing.queue());
        }
    }

    /** The app's state. */
    public AppState state() {
        return lifecycle.state();
    }

    /** Why the app is not READY, or empty. */
    public String reason() {
        return lifecycle.reason();
    }

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.limits().maxBodySize().asLongValue());
        for (EndpointHandler endpoint : endpoints) {
            // Two routes, because Vert.x reads the body first on a route; the checks must come before it.
            router.route(endpoint.spec().path()).handler(endpoint::accept);
            router.route(endpoint.spec().path()).handler(body).handler(endpoint::handle)
                    .failureHandler(endpoint::routeFailure);
        }
        if (queueing != null) {
            queueing.routes().register(router, body);
        }
        if (cdn instanceof LocalCdn local) {
            router.route("/files/*").handler(new CdnFiles(local, this::fileError));
        }
        router.route("/health").handler(this::health);
        router.route("/openapi.json").handler(this::openApi);
        String root = ConfigProvider.getConfig().getOptionalValue("quarkus.http.non-application-root-path",
                String.class).orElse("q").replaceAll("^/|/$", "");
        String metrics = "/" + root + "/metrics";
        router.route("/metrics").handler(http -> http.reroute(metrics));
        router.route(metrics).order(Integer.MIN_VALUE).handler(jvmMeters::beforeScrape);
        router.route().last().handler(http -> responses.error(http, 404,
                "Path " + http.normalizedPath() + " not found", Map.of()));
    }

    void serving(@ObservesAsync HttpServerStart event) {
        lifecycle.serving();
    }

    void serving(@ObservesAsync HttpsServerStart event) {
        lifecycle.serving();
    }

    void start(@Observes StartupEvent event) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            Signal.handle(new Signal("TERM"), signal -> new Thread(lifecycle::drainAndExit, "fal4j-drain").start());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        lifecycle.tearDown();
        lifecycle.close();
        if (queueing != null) {
            queueing.close();
        }
        admission.close();
        uploads.close();
        downloads.close();
        jvmMeters.close();
    }

    private void fileError(RoutingContext http, int status) {
        responses.error(http, status, status == 404 ? "Path " + http.normalizedPath() + " not found"
                : status == 416 ? "Range Not Satisfiable" : "Method Not Allowed", Map.of());
    }

    private void health(RoutingContext http) {
        AppState state = lifecycle.state();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state);
        body.put("app", spec.name());
        if (!lifecycle.reason().isEmpty()) {
            body.put("reason", lifecycle.reason());
        }
        if (lifecycle.setupDuration() != null) {
            body.put("setup_seconds", lifecycle.setupDuration().toMillis() / 1000.0);
        }
        body.put("running", admission.running());
        body.put("queued", admission.queued());
        body.put("slots", admission.slots());
        if (queueing != null) {
            body.put("queue_waiting", queueing.queue().waiting());
        }
        try {
            responses.send(http, state.serving() ? 200 : 503, responses.json(body));
        } catch (Exception e) {
            http.fail(e);
        }
    }

    private void openApi(RoutingContext http) {
        try {
            byte[] document = openApi;
            if (document == null) {
                document = OpenApiDocument.write(spec, operations, json.mapper());
                openApi = document;
            }
            responses.send(http, 200, Buffer.buffer(document));
        } catch (Exception e) {
            LOG.error("Cannot write the OpenAPI document", e);
            responses.error(http, 500, "Internal Server Error", Map.of());
        }
    }
}
