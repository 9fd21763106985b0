package io.fal4j.runtime;

import io.quarkus.arc.Arc;
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
     * Creates the app and starts its {@code setup()} as soon as the runtime configuration and logging
     * are in place, before Vert.x, the HTTP server and the rest of the runner: loading weights is
     * usually the longest part of a cold start, and on a machine with more than one core it then runs
     * beside the rest of the boot instead of after most of it. The build records this only for an
     * app without injection points, which could need beans that are not ready this early; any other
     * app is set up when the {@link Runner} is created.
     */
    public void startSetup() {
        Arc.container().instance(AppHost.class).get();
    }
}
