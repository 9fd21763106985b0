package io.fal4j.runtime;

import io.quarkus.runtime.annotations.Recorder;
import java.util.function.Supplier;

/** Carries what the build learned about the app into the running application. */
@Recorder
public class Fal4jRecorder {

    /** Supplies the {@link AppSpec} bean. */
    public Supplier<AppSpec> appSpec(AppSpec spec) {
        return () -> spec;
    }
}
