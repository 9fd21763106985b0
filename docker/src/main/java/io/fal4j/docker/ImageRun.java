package io.fal4j.docker;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An app's image running locally, started by the builder with the image's entrypoint and
 * {@code PORT} on the host's network, and awaited until its {@code /health} says READY.
 */
public final class ImageRun implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Builder.Running running;
    private final Path log;
    private final int port;

    private ImageRun(Builder.Running running, Path log, int port) {
        this.running = running;
        this.log = log;
        this.port = port;
    }

    /** Starts the image's app on a port, with extra environment variables. */
    public static ImageRun start(Builder builder, String image, int port, Map<String, String> env) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put("PORT", Integer.toString(port));
        Path log = Files.createTempFile("fal4j-run-", ".log");
        return new ImageRun(builder.start(image, all, log), log, port);
    }

    /**
     * What {@code fal4j run} and {@code fal4j deploy} do: start the image, wait until READY, say
     * where it serves, and keep serving until the app exits.
     *
     * @return the app's exit status
     */
    static int serve(Builder builder, String image, int port, Duration startup, PrintWriter out)
            throws IOException, InterruptedException {
        try (ImageRun run = start(builder, image, port, Map.of())) {
            run.awaitReady(startup);
            out.println(image + " is READY at " + run.url("/"));
            out.flush();
            return run.await();
        }
    }

    /** Polls {@code /health} until READY; fails when the app exits or the time is up. */
    public void awaitReady(Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        String last = "no answer";
        while (System.nanoTime() < end) {
            if (!running.process().isAlive()) {
                throw new IOException("the app exited with " + running.process().exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(url("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                last = health.body();
                if (health.statusCode() == 200 && last.contains("\"READY\"")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IOException("the app did not become READY within " + limit + " (last: " + last + "):\n" + log());
    }

    /** The app's URL for a path. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** What the app printed. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Waits for the app to exit (it runs in the foreground under {@code fal4j run}). */
    public int await() throws InterruptedException {
        return running.process().waitFor();
    }

    @Override
    public void close() throws IOException {
        Process process = running.process();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        running.cleanup().run();
        Files.deleteIfExists(log);
    }
}
