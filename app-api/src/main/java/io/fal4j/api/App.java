package io.fal4j.api;

/**
 * The lifecycle of a fal4j app. The class that implements it carries {@link FalApp}.
 *
 * <p>The runner creates the app once, calls {@link #setup()} before it serves the first request,
 * and {@link #teardown()} when it shuts down. Constructors must do no work: the build constructs
 * the app to read its {@link #image()}.
 */
public interface App {

    /**
     * The container image the app runs in. The default is Debian with a Java 17 runtime and
     * {@code curl}; override it to bring your own CUDA stack, system packages or model weights.
     *
     * @return the image specification, read at build time
     */
    default ContainerImage image() {
        return ContainerImage.fromDockerfileStr("""
                FROM debian:bookworm-slim
                RUN apt-get update \\
                    && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \\
                    && rm -rf /var/lib/apt/lists/*
                """);
    }

    /**
     * Loads what every request needs (weights, tokenizers, warm-up). Runs once, on a thread of its
     * own, before the runner reports {@code READY}; it must finish within
     * {@link FalApp#startupTimeout()}. An exception marks the runner {@code SETUP_FAILED}.
     *
     * @throws Exception when the app cannot start
     */
    default void setup() throws Exception {
    }

    /**
     * Frees what {@link #setup()} acquired (native memory, files, connections). Runs once at
     * shutdown, after in-flight requests have finished or the drain grace period has passed.
     *
     * @throws Exception when cleaning up fails; it is logged and the runner still exits
     */
    default void teardown() throws Exception {
    }
}
