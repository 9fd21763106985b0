package io.fal4j.docker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What fal4j needs from a container image builder; {@link BuildahBuilder} is the real one, and
 * tests of the code around it may use a fake.
 */
public interface Builder {

    /**
     * One build.
     *
     * @param dockerfile the Dockerfile's text
     * @param context the build context directory
     * @param buildArgs build arguments
     * @param secrets build secrets: id to a file holding the value, mounted only while a RUN uses it
     * @param tag the image's name
     * @param noCache whether to rebuild every step
     * @param authFile credentials for private registries the build pulls from, or null
     */
    record Build(String dockerfile, Path context, Map<String, String> buildArgs, Map<String, Path> secrets,
            String tag, boolean noCache, Path authFile) {
    }

    /**
     * A command's outcome.
     *
     * @param status its exit status
     * @param output what it printed, standard error included
     */
    record Execution(int status, String output) {
    }

    /** Whether the image exists in the builder's storage. */
    boolean exists(String image) throws IOException;

    /**
     * Builds an image; each line the builder prints goes to {@code progress}.
     *
     * @throws IOException when the build fails, with the builder's last lines
     */
    void build(Build build, Consumer<String> progress) throws IOException;

    /** Runs a command in a throwaway container of the image. */
    Execution run(String image, List<String> command) throws IOException;

    /** The image's layers (their uncompressed digests), base first. */
    List<String> layers(String image) throws IOException;

    /** The image's labels. */
    Map<String, String> labels(String image) throws IOException;

    /**
     * Writes the image to a local directory (the containers' {@code dir:} layout), every layer
     * compressed anew.
     *
     * @param oci an OCI image (needed for zstd) rather than a Docker v2 schema 2 one (which keeps HEALTHCHECK)
     * @param compression {@code gzip} or {@code zstd}
     */
    void export(String image, Path dir, boolean oci, String compression) throws IOException;

    /** Starts the image's entrypoint in the background, on the host's network, its output to {@code log}. */
    Running start(String image, Map<String, String> env, Path log) throws IOException;

    /** A started container: its process, and what removes it once the process is stopped. */
    record Running(Process process, Cleanup cleanup) {
    }

    /** Removes a stopped container. */
    interface Cleanup {
        void run() throws IOException;
    }
}
