package io.fal4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A packaged app whose setup fails, or outlives its startup timeout, reports SETUP_FAILED and exits 1. */
class SetupFailureIT {

    @Test
    void reportsTheFailureThenExitsNonZero() throws Exception {
        try (RunnerProcess runner = RunnerProcess.start(Map.of("ECHO_SETUP_FAIL", "no weights",
                "FAL4J_LIFECYCLE_SETUP_FAILURE_EXIT_DELAY", "5S"))) {
            // setup() fails while the runner boots; the exit delay counts from when it serves
            runner.awaitState("SETUP_FAILED", Duration.ofSeconds(30));
            assertTrue(runner.health().path("reason").asText().contains("setup failed on purpose: no weights"));
            assertEquals(503, runner.get("/health").statusCode());
            assertEquals(1, runner.awaitExit(Duration.ofSeconds(30)), runner.log());
        }
    }

    @Test
    void exitsNonZeroWhenSetupOutlivesTheStartupTimeout() throws Exception {
        try (RunnerProcess runner = RunnerProcess.start(Map.of("ECHO_SETUP_SLEEP_MS", "600000",
                "FAL4J_LIFECYCLE_STARTUP_TIMEOUT", "5S", "FAL4J_LIFECYCLE_SETUP_FAILURE_EXIT_DELAY", "1S"))) {
            assertEquals(1, runner.awaitExit(Duration.ofSeconds(30)), runner.log());
            assertTrue(runner.log().contains("did not finish within the startup timeout of 5s"), runner.log());
        }
    }
}
