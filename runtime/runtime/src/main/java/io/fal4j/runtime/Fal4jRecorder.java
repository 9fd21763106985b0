package io.fal4j.runtime;

import io.fal4j.api.App;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.annotations.Recorder;
import java.util.function.Supplier;

/** Carries what the build learned about the app into the running application. */
@Recorder
public class Fal4jRecorder {

    /** Supplies the {@link AppSpec} bean. */
    public Supplier<AppSpec> appSpec(AppSpec spec) {
        return () -> spec;
    }

    /**
     * Creates the app and starts its {@code setup()} during static init, as soon as the bean container
     * exists: before the runtime configuration, the validator, Vert.x and the HTTP server are set up.
     * Loading weights is usually the longest part of a cold start, and on a machine with more than one
     * core it then runs beside most of the boot instead of after it. The build records this only for
     * an app without injection points, which could need beans that are not ready this early; any other
     * app is set up when the {@link AppHost} is created. {@code setup()} sees the configuration that
     * static init has: the application's properties, system properties and the environment.
     */
    public void startSetup(String appClass, String name) {
        if (ImageMode.current() == ImageMode.NATIVE_BUILD) {
            return; // a native image runs its static init in the build
        }
        Class<?> type;
        try {
            type = Class.forName(appClass, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("The app class " + appClass + " is not on the class path", e);
        }
        SetupRun.startEarly((App) Arc.container().instance(type).get(), name);
    }
}
