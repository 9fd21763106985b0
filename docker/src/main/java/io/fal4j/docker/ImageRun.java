package io.fal4j.docker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An app's image running locally: a buildah container (chroot isolation, the host's network)
 * started with the image's entrypoint and {@code PORT}, and awaited until its {@code /health}
 * says READY.
 */
public final class ImageRun implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final BuildahBuilder builder;
    private final String container;
    private final Process process;
    private final Path log;
    private final int port;

    private ImageRun(BuildahBuilder builder, String container, Process process, Path log, int port) {
        this.builder = builder;
        this.container = container;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the image's app on a port, with extra environment variables. */
    public static ImageRun start(BuildahBuilder builder, String image, int port, Map<String, String> env)
            throws IOException {
        Builder.Execution created = BuildahBuilder.execute(builder.command("from", "--quiet", image), line -> { });
        if (created.status() != 0) {
            throw new IOException("cannot create a container of " + image + ": " + created.output());
        }
        String container = created.output().strip();
        List<String> command = builder.command("run", "--isolation", "chroot", "-e", "PORT=" + port);
        env.forEach((name, value) -> command.addAll(List.of("-e", name + "=" + value)));
        command.addAll(List.of(container, "--", "java", "-jar", PlatformLayer.APP_DIR + "/quarkus-run.jar"));
        Path log = Files.createTempFile("fal4j-run-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ImageRun(builder, container, process, log, port);
    }

    /** Polls {@code /health} until READY; fails when the app exits or the time is up. */
    public void awaitReady(Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        String last = "no answer";
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException("the app exited with " + process.exitValue() + ":\n" + log());
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
        return process.waitFor();
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        BuildahBuilder.execute(builder.command("rm", container), line -> { });
        Files.deleteIfExists(log);
    }
}
