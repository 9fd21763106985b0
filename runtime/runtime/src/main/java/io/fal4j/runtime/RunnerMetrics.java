package io.fal4j.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The runner's Prometheus metrics: requests by endpoint and status (count and latency histogram),
 * requests executing and waiting, slots, setup duration and app state.
 */
final class RunnerMetrics {

    private final MeterRegistry registry;

    RunnerMetrics(MeterRegistry registry, String app, Lifecycle lifecycle, Admission admission) {
        this.registry = registry;
        Gauge.builder("fal4j.requests.in_flight", admission, Admission::running).strongReference(true)
                .description("Requests executing now").tag("app", app).register(registry);
        Gauge.builder("fal4j.requests.queued", admission, Admission::queued).strongReference(true)
                .description("Requests waiting for a free slot").tag("app", app).register(registry);
        Gauge.builder("fal4j.slots", admission, Admission::slots).strongReference(true)
                .description("Concurrent executions allowed (maxMultiplexing)").tag("app", app).register(registry);
        Gauge.builder("fal4j.setup.duration.seconds", lifecycle, RunnerMetrics::setupSeconds).strongReference(true)
                .description("How long setup() took").tag("app", app).register(registry);
        for (AppState each : AppState.values()) {
            Gauge.builder("fal4j.app.state", lifecycle, l -> l.state() == each ? 1 : 0).strongReference(true)
                    .description("1 for the state the runner is in").tag("app", app).tag("state", each.name())
                    .register(registry);
        }
    }

    /** Gauges of the durable queue: requests waiting in it, and completed ones retained. */
    void queue(String app, RequestQueue queue) {
        Gauge.builder("fal4j.queue.waiting", queue, RequestQueue::waiting).strongReference(true)
                .description("Queued requests waiting to start").tag("app", app).register(registry);
        Gauge.builder("fal4j.queue.retained", queue, RequestQueue::retained).strongReference(true)
                .description("Completed queued requests whose results are kept").tag("app", app).register(registry);
    }

    private static double setupSeconds(Lifecycle lifecycle) {
        Duration took = lifecycle.setupDuration();
        return took == null ? Double.NaN : took.toMillis() / 1000.0;
    }

    /** The metrics of one endpoint. */
    Endpoint endpoint(String path) {
        return new Endpoint(path);
    }

    /** Request metrics of one endpoint; meters are created on first use of a status. */
    final class Endpoint {
        private final String path;
        private final Timer[] byStatus = new Timer[600];

        private Endpoint(String path) {
            this.path = path;
        }

        /** Records one answered request. */
        void record(int status, long startNanos) {
            int index = status >= 100 && status < 600 ? status : 500;
            Timer timer = byStatus[index];
            if (timer == null) {
                timer = Timer.builder("fal4j.requests")
                        .description("Requests answered, by endpoint and status")
                        .tag("endpoint", path).tag("status", Integer.toString(index))
                        .tag("outcome", index < 400 ? "success" : index < 500 ? "client_error" : "server_error")
                        .publishPercentileHistogram()
                        .register(registry);
                byStatus[index] = timer;
            }
            timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }
}
