package io.fal4j.runtime;

import io.fal4j.api.App;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The app instance, its admission and its lifecycle. An app that injects nothing has its {@code
 * setup()} started at static init already (see {@link Fal4jRecorder#startSetup}), so that loading
 * weights overlaps with most of Quarkus's boot; any other app's starts when the host is created. The
 * {@link Runner} serves the app once the HTTP layer is up.
 */
@Singleton
public class AppHost {

    private final Class<?> appClass;
    private final App app;
    private final Admission admission;
    private final Lifecycle lifecycle;

    AppHost(AppSpec spec, Fal4jConfig config) throws ClassNotFoundException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.appClass = loader.loadClass(spec.appClass());
        this.app = (App) Arc.container().instance(appClass).get();
        this.admission = new Admission(spec.maxMultiplexing(), config.limits().queueLength(), loader);
        Duration startupTimeout = config.lifecycle().startupTimeout()
                .orElse(Duration.ofSeconds(spec.startupTimeoutSeconds()));
        this.lifecycle = new Lifecycle(app, spec.name(), startupTimeout, config.lifecycle(), admission,
                Quarkus::asyncExit);
        lifecycle.watch(SetupRun.adopt(app, spec.name()));
    }

    Class<?> appClass() {
        return appClass;
    }

    App app() {
        return app;
    }

    Admission admission() {
        return admission;
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }
}
