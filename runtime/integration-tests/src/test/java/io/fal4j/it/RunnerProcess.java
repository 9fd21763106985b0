package io.fal4j.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The packaged echo app running as a child process, the way a container runs it. */
final class RunnerProcess implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private RunnerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code quarkus-run.jar} of this module's build with extra environment variables. Its queue
     * and files go to fresh directories of its own unless {@code env} names them, so that no runner
     * finds another's journal, or its lock.
     */
    static RunnerProcess start(Map<String, String> env) throws IOException {
        Path appDir = Path.of(System.getProperty("app.dir", "target/quarkus-app"));
        int port = freePort();
        Path log = Files.createTempFile("fal4j-runner-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", appDir.resolve("quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Path own = Files.createTempDirectory("fal4j-runner-");
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("FAL4J_QUEUE_DIR", own.resolve("queue").toString());
        builder.environment().put("FAL4J_FILES_CDN_DIR", own.resolve("cdn").toString());
        builder.environment().putAll(env);
        return new RunnerProcess(builder.start(), port, log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls /health until the state is reached. */
    void awaitState(String state, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        String last = "unreachable";
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("the runner exited with " + process.exitValue() + " before " + state
                        + ":\n" + log());
            }
            try {
                last = health().path("state").asText();
                if (state.equals(last)) {
                    return;
                }
            } catch (IOException e) {
                last = "unreachable (" + e + ")";
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the runner stayed " + last + " instead of becoming " + state + ":\n" + log());
    }

    JsonNode health() throws IOException, InterruptedException {
        return JSON.readTree(get("/health").body());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json, String requestId) throws IOException, InterruptedException {
        return CLIENT.send(postRequest(path, json, requestId), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
        return CLIENT.sendAsync(postRequest(path, json, null), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest postRequest(String path, String json, String requestId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (requestId != null) {
            request.header("x-fal-request-id", requestId);
        }
        return request.build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Sends SIGTERM, as Kubernetes does when it stops a pod. */
    void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL: the process dies at once, as in a crash or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The port the runner listens on. */
    int port() {
        return port;
    }

    /** Waits for the process to exit and returns its status. */
    int awaitExit(Duration limit) throws Exception {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the runner did not exit within " + limit + ":\n" + log());
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
