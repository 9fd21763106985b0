package io.fal4j.runtime;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/** The {@code /q/health} checks, driven by the app's state: live unless setup failed or the GPU broke, ready only when READY. */
@Singleton
public class RunnerHealth {

    private final Runner runner;

    RunnerHealth(Runner runner) {
        this.runner = runner;
    }

    @Produces
    @Liveness
    @Singleton
    HealthCheck live() {
        return () -> response("fal4j-live", runner.state().alive());
    }

    @Produces
    @Readiness
    @Singleton
    HealthCheck ready() {
        return () -> response("fal4j-ready", runner.state().serving());
    }

    @Produces
    @Startup
    @Singleton
    HealthCheck started() {
        return () -> response("fal4j-started", runner.state().started());
    }

    private HealthCheckResponse response(String name, boolean up) {
        var builder = HealthCheckResponse.named(name).status(up).withData("state", runner.state().name());
        if (!runner.reason().isEmpty()) {
            builder.withData("reason", runner.reason());
        }
        return builder.build();
    }
}
