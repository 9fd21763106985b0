package io.fal4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM drains the packaged app: readiness goes down, in-flight work finishes, teardown runs, exit 0. */
class DrainIT {

    @TempDir
    Path dir;

    @Test
    void finishesInFlightRequestsThenTearsDownAndExitsZero() throws Exception {
        Path marker = dir.resolve("teardown");
        try (RunnerProcess runner = RunnerProcess.start(Map.of("ECHO_TEARDOWN_MARKER", marker.toString(),
                "FAL4J_LIFECYCLE_DRAIN_GRACE", "30S"))) {
            runner.awaitState("READY", Duration.ofSeconds(30));
            // the routes checked while draining answer once first, so none is slow the first time
            assertEquals(200, runner.get("/q/health/ready").statusCode());
            assertEquals(200, runner.post("/echo", "{\"prompt\":\"early\"}", null).statusCode());
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inFlight.add(runner.postAsync("/slow", "{\"millis\":6000}"));
            }
            awaitRunning(runner, 3);

            runner.terminate();

            runner.awaitState("DRAINING", Duration.ofSeconds(5));
            assertEquals(503, runner.get("/health").statusCode());
            assertEquals(503, runner.get("/q/health/ready").statusCode());
            HttpResponse<String> refused = runner.post("/echo", "{\"prompt\":\"late\"}", null);
            assertEquals(503, refused.statusCode());
            assertEquals("App not ready: DRAINING", RunnerProcess.JSON.readTree(refused.body()).path("detail").asText());

            for (CompletableFuture<HttpResponse<String>> request : inFlight) {
                HttpResponse<String> done = request.get(30, TimeUnit.SECONDS);
                assertEquals(200, done.statusCode(), done.body());
                assertTrue(RunnerProcess.JSON.readTree(done.body()).path("slept_ms").asLong() >= 5900, done.body());
            }
            assertEquals(0, runner.awaitExit(Duration.ofSeconds(30)), runner.log());
            assertEquals("torn down", Files.readString(marker));
            assertTrue(runner.log().contains("drained"), runner.log());
        }
    }

    @Test
    void cancelsWorkStillRunningWhenTheGracePeriodEnds() throws Exception {
        Path marker = dir.resolve("teardown");
        try (RunnerProcess runner = RunnerProcess.start(Map.of("ECHO_TEARDOWN_MARKER", marker.toString(),
                "FAL4J_LIFECYCLE_DRAIN_GRACE", "1S"))) {
            runner.awaitState("READY", Duration.ofSeconds(30));
            CompletableFuture<HttpResponse<String>> endless = runner.postAsync("/slow", "{\"millis\":120000}");
            awaitRunning(runner, 1);

            runner.terminate();

            HttpResponse<String> answer = endless.get(20, TimeUnit.SECONDS);
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("shutting down"), answer.body());
            assertEquals(0, runner.awaitExit(Duration.ofSeconds(20)), runner.log());
            assertEquals("torn down", Files.readString(marker));
        }
    }

    private static void awaitRunning(RunnerProcess runner, int count) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (runner.health().path("running").asInt() >= count) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("fewer than " + count + " requests started:\n" + runner.log());
    }
}
