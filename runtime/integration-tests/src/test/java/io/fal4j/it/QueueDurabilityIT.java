package io.fal4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue survives {@code kill -9}: requests accepted while the app was starting still run after
 * a restart, one that was running runs again under the same id, and statuses and results outlive
 * further restarts. A journal that cannot be written refuses submits with 503.
 */
class QueueDurabilityIT {

    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void acceptedRequestsSurviveKillNineAndRunAgain() throws Exception {
        Path queue = work.resolve("queue");
        Path runs = work.resolve("runs.txt");
        Map<String, String> env = Map.of("FAL4J_QUEUE_DIR", queue.toString(), "ECHO_RUNS_FILE", runs.toString());
        List<String> waiting = new ArrayList<>();

        try (RunnerProcess starting = RunnerProcess.start(with(env, "ECHO_SETUP_SLEEP_MS", "600000"))) {
            starting.awaitState("STARTING", START);
            for (int i = 0; i < 5; i++) {
                JsonNode accepted = json(starting.post("/local/echo/echo", "{\"prompt\":\"p\",\"seed\":" + i + "}", null), 200);
                assertEquals("IN_QUEUE", accepted.path("status").asText());
                waiting.add(accepted.path("request_id").asText());
            }
            assertEquals("IN_QUEUE", status(starting, waiting.get(4)).path("status").asText());
            starting.kill();
        }

        String interrupted;
        try (RunnerProcess runner = RunnerProcess.start(env)) {
            runner.awaitState("READY", START);
            for (String id : waiting) {
                awaitCompleted(runner, id);
            }
            interrupted = json(runner.post("/local/echo/slow", "{\"millis\":8000}", null), 200).path("request_id").asText();
            awaitRuns(runs, interrupted, 1);
            assertEquals("IN_PROGRESS", status(runner, interrupted).path("status").asText());
            runner.kill();
        }

        try (RunnerProcess runner = RunnerProcess.start(env)) {
            runner.awaitState("READY", START);
            JsonNode done = awaitCompleted(runner, interrupted);
            assertTrue(done.path("error").isMissingNode(), done.toString());
            assertEquals(2, Collections.frequency(Files.readAllLines(runs), interrupted),
                    "the interrupted request ran again under its id");
            runner.terminate();
            assertEquals(0, runner.awaitExit(Duration.ofSeconds(30)));
        }

        try (RunnerProcess runner = RunnerProcess.start(env)) {
            runner.awaitState("READY", START);
            for (int i = 0; i < waiting.size(); i++) {
                HttpResponse<String> result = runner.get("/local/echo/requests/" + waiting.get(i));
                assertEquals(i, json(result, 200).path("seed").asInt(), result.body());
            }
            assertTrue(json(runner.get("/local/echo/requests/" + interrupted), 200).path("slept_ms").asLong() >= 8000);
            assertEquals("COMPLETED", status(runner, interrupted).path("status").asText());
        }
    }

    @Test
    void resumesAWebhookDeliveryAfterKillNine() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Map<String, String> env = Map.of("FAL4J_QUEUE_DIR", work.resolve("queue").toString(),
                "FAL4J_QUEUE_WEBHOOK_ALLOW_PRIVATE", "true", "FAL4J_QUEUE_WEBHOOK_BACKOFF", "1S");
        String id;
        try (RunnerProcess runner = RunnerProcess.start(env)) {
            runner.awaitState("READY", START);
            id = json(runner.post("/local/echo/echo?fal_webhook=http://127.0.0.1:" + port + "/hook",
                    "{\"prompt\":\"p\",\"seed\":5}", null), 200).path("request_id").asText();
            awaitCompleted(runner, id);
            for (int i = 0; i < 1000 && !runner.log().contains("Webhook for " + id); i++) {
                Thread.sleep(10);
            }
            assertTrue(runner.log().contains("Webhook for " + id), "the first attempt failed:\n" + runner.log());
            runner.kill();
        }
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", port), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try (RunnerProcess runner = RunnerProcess.start(env)) {
            runner.awaitState("READY", START);
            for (int i = 0; i < 3000 && received.isEmpty(); i++) {
                Thread.sleep(10);
            }
            assertEquals(1, received.size(), "the delivery resumed after the restart:\n" + runner.log());
            JsonNode hook = RunnerProcess.JSON.readTree(received.get(0));
            assertEquals(id, hook.path("request_id").asText());
            assertEquals(5, hook.path("payload").path("seed").asInt());
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void refusesASubmitItCannotStore() throws Exception {
        Path mount = work.resolve("small");
        Files.createDirectories(mount);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()) == 0,
                "making a small tmpfs needs root and mount(8)");
        try (RunnerProcess runner = RunnerProcess.start(Map.of("FAL4J_QUEUE_DIR", mount.resolve("queue").toString()))) {
            runner.awaitState("READY", START);
            json(runner.post("/local/echo/echo", "{\"prompt\":\"p\",\"seed\":1}", null), 200);
            Path filler = mount.resolve("filler");
            run("dd", "if=/dev/zero", "of=" + filler, "bs=4k");
            String big = "{\"seed\":2,\"prompt\":\"" + "x".repeat(64 * 1024) + "\"}";
            HttpResponse<String> refused = runner.post("/local/echo/echo", big, null);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("cannot store"), refused.body());
            Files.delete(filler);
            JsonNode accepted = json(runner.post("/local/echo/echo", "{\"prompt\":\"p\",\"seed\":3}", null), 200);
            assertEquals(3, json(awaitResult(runner, accepted.path("request_id").asText()), 200).path("seed").asInt());
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> more = new java.util.HashMap<>(env);
        more.put(key, value);
        return more;
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return RunnerProcess.JSON.readTree(response.body());
    }

    private static JsonNode status(RunnerProcess runner, String id) throws Exception {
        return RunnerProcess.JSON.readTree(runner.get("/local/echo/requests/" + id + "/status").body());
    }

    private static JsonNode awaitCompleted(RunnerProcess runner, String id) throws Exception {
        for (int i = 0; i < 3000; i++) {
            JsonNode status = status(runner, id);
            if ("COMPLETED".equals(status.path("status").asText())) {
                return status;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(id + " never completed:\n" + runner.log());
    }

    private static HttpResponse<String> awaitResult(RunnerProcess runner, String id) throws Exception {
        awaitCompleted(runner, id);
        return runner.get("/local/echo/requests/" + id);
    }

    private static void awaitRuns(Path runs, String id, int count) throws Exception {
        for (int i = 0; i < 3000; i++) {
            if (Files.exists(runs) && Collections.frequency(Files.readAllLines(runs), id) >= count) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(id + " did not run " + count + " times");
    }
}
