package io.fal4j.runtime;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The runner's configuration: {@code fal4j.*} properties, or {@code FAL4J_*} environment variables. */
@ConfigMapping(prefix = "fal4j")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface Fal4jConfig {

    /** The HTTP port; {@code quarkus.http.port} follows it. The {@code PORT} variable sets it too. */
    @WithDefault("${PORT:8080}")
    int port();

    /** What one request, and the runner as a whole, may use. */
    Limits limits();

    /** Start-up and shut-down. */
    Lifecycle lifecycle();

    /** Request limits. */
    interface Limits {

        /** The largest request body; a larger one gets 413. */
        @WithDefault("32M")
        MemorySize maxBodySize();

        /** How many requests may wait for a free slot once all {@code maxMultiplexing} slots are busy; beyond that, 429. */
        @WithDefault("16")
        int queueLength();

        /** The {@code Retry-After} a 429 answer carries. */
        @WithDefault("1S")
        Duration retryAfter();

        /** The deepest nesting of arrays and objects a request body may have. */
        @WithDefault("256")
        int maxJsonDepth();

        /** Overrides the app's {@code requestTimeout}. */
        Optional<Duration> requestTimeout();
    }

    /** Start-up and shut-down. */
    interface Lifecycle {

        /** Overrides the app's {@code startupTimeout}. */
        Optional<Duration> startupTimeout();

        /** How long in-flight requests may take to finish after SIGTERM before they are cancelled. */
        @WithDefault("30S")
        Duration drainGrace();

        /** Whether the process exits (status 1) after setup fails; tests that inspect the failed state turn it off. */
        @WithDefault("true")
        boolean exitOnSetupFailure();

        /** How long {@code SETUP_FAILED} stays visible on {@code /health} before the process exits. */
        @WithDefault("5S")
        Duration setupFailureExitDelay();
    }
}
