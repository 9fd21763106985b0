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
}
