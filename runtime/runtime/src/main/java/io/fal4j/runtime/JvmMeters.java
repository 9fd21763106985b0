package io.fal4j.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.quarkus.micrometer.runtime.binder.JVMInfoBinder;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The JVM's and the process's meters (memory, garbage collection, threads, classes, CPU, uptime, file
 * descriptors: the set Quarkus binds), bound when {@code /metrics} is first scraped instead of during
 * the boot. Binding them loads and links a few hundred classes and management beans, 0.1 s of CPU that
 * a cold start would otherwise spend before its first request. Quarkus's own binders are off by the
 * runner's defaults; where an app turns one on ({@code quarkus.micrometer.binder.jvm} or {@code
 * .system}), Quarkus binds that group at boot and this class leaves it alone. Meters that count events
 * (garbage collection pauses) count from the first scrape.
 */
final class JvmMeters implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JvmMeters.class);

    private final MeterRegistry registry;
    private final boolean jvm;
    private final boolean system;
    private final List<AutoCloseable> closeable = new ArrayList<>();
    private volatile boolean bound;

    /**
     * @param jvm whether to bind the JVM's meters (Quarkus does not)
     * @param system whether to bind the process's and system's meters (Quarkus does not)
     */
    JvmMeters(MeterRegistry registry, boolean jvm, boolean system) {
        this.registry = registry;
        this.jvm = jvm;
        this.system = system;
        this.bound = !jvm && !system;
    }

    /** A route handler placed before the scrape: binds the meters once, off the event loop, then goes on. */
    void beforeScrape(RoutingContext http) {
        if (bound) {
            http.next();
            return;
        }
        http.vertx().executeBlocking(() -> {
            bind();
            return null;
        }, false).onComplete(done -> {
            if (done.failed()) {
                LOG.warn("Cannot bind the JVM's meters", done.cause());
            }
            http.next();
        });
    }

    /** Binds the meters if they are not bound yet. */
    synchronized void bind() {
        if (bound) {
            return;
        }
        bound = true;
        List<MeterBinder> binders = new ArrayList<>();
        if (jvm) {
            JvmHeapPressureMetrics pressure = new JvmHeapPressureMetrics();
            JvmGcMetrics gc = new JvmGcMetrics();
            closeable.add(pressure);
            closeable.add(gc);
            binders.addAll(List.of(new ClassLoaderMetrics(), pressure, new JvmMemoryMetrics(),
                    new JvmThreadMetrics(), new JVMInfoBinder(), gc));
        }
        if (system) {
            binders.addAll(List.of(new UptimeMetrics(), new ProcessorMetrics(), new FileDescriptorMetrics()));
        }
        for (MeterBinder binder : binders) {
            binder.bindTo(registry);
        }
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable each : closeable) {
            try {
                each.close();
            } catch (Exception e) {
                LOG.debugf("Closing %s failed: %s", each, e);
            }
        }
        closeable.clear();
    }
}
