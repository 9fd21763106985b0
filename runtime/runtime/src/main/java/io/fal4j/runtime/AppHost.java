package io.fal4j.runtime;

import io.fal4j.api.App;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The app instance, its admission and its lifecycle. Created, and {@code setup()} started, as early
 * in start-up as the app allows (see {@link Fal4jRecorder#startSetup()}), so that loading weights
 * overlaps with the rest of Quarkus's boot; the {@link Runner} serves it once the HTTP layer is up.
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
        lifecycle.start();
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
