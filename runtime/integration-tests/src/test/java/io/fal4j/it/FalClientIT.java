package io.fal4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fal's own JavaScript client ({@code @fal-ai/client}, from npm, unchanged) against the packaged
 * app: subscribe with polled and streamed status and logs, a direct run, a validation error, a
 * cancel, and a webhook whose signature it verifies with the runner's published key. The
 * assertions are in {@code src/test/js/fal-client.mjs}.
 */
class FalClientIT {

    private static final Path SCRIPTS = Path.of("src/test/js");
    private static final Path INSTALL = Path.of("target/fal-client-js");

    @TempDir
    Path queue;

    @Test
    void falsJavaScriptClientWorksAgainstTheRunner() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "the fal JavaScript client needs node and npm on the PATH");
        install();
        try (RunnerProcess runner = RunnerProcess.start(Map.of("FAL4J_QUEUE_DIR", queue.toString(),
                "FAL4J_QUEUE_WEBHOOK_ALLOW_PRIVATE", "true"))) {
            runner.awaitState("READY", Duration.ofSeconds(60));
            Path output = Files.createTempFile("fal-client-", ".log");
            ProcessBuilder node = new ProcessBuilder("node", "fal-client.mjs").directory(INSTALL.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            node.environment().put("RUNNER_URL", "http://127.0.0.1:" + runner.port());
            Process process = node.start();
            boolean finished = process.waitFor(180, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            List<String> lines = Files.readAllLines(output);
            Files.delete(output);
            assertTrue(finished, "the client script did not finish:\n" + String.join("\n", lines));
            assertEquals(0, process.exitValue(), "the client script failed:\n" + String.join("\n", lines)
                    + "\nrunner log:\n" + runner.log());
            JsonNode summary = RunnerProcess.JSON.readTree(lines.get(lines.size() - 1));
            assertTrue(summary.path("webhookVerified").asBoolean(), summary.toString());
            assertEquals("COMPLETED", summary.path("statuses").get(summary.path("statuses").size() - 1).asText());
            JsonNode cancelled = RunnerProcess.JSON.readTree(
                    runner.get("/local/echo/requests/" + summary.path("cancelled").asText() + "/status").body());
            assertEquals("cancelled", cancelled.path("error_type").asText(), cancelled.toString());
        }
    }

    /** Installs the pinned client from npm into target/, once per build. */
    private static void install() throws Exception {
        Files.createDirectories(INSTALL);
        for (String file : List.of("package.json", "package-lock.json", "fal-client.mjs")) {
            Files.copy(SCRIPTS.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(INSTALL.resolve("node_modules/@fal-ai/client"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(INSTALL.toFile())
                .redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes());
        assertTrue(npm.waitFor(300, TimeUnit.SECONDS), "npm ci did not finish");
        assertEquals(0, npm.exitValue(), "npm ci failed:\n" + out);
    }

    private static boolean onPath(String command) throws IOException {
        String path = System.getenv().getOrDefault("PATH", "");
        try (Stream<String> dirs = Stream.of(path.split(java.io.File.pathSeparator))) {
            return dirs.anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
        }
    }
}
