package io.fal4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The layers fal4j puts on top of the user's image: the packaged app in Quarkus' layout (its
 * dependencies in one layer, its own code in the next, so a code change rebuilds only that one),
 * {@code PORT}, a curl health check, labels that say what the image serves, and the entrypoint.
 */
final class PlatformLayer {

    static final String APP_DIR = "/opt/fal4j/app";

    private PlatformLayer() {
    }

    /**
     * The Dockerfile of the platform layers.
     *
     * @param quarkusApp the packaged app ({@code target/quarkus-app}), the build's context
     * @param metadata the app's {@code fal4j-app.json}
     * @param appDigest the packaged app's digest, so that an unchanged app is recognised
     */
    static String dockerfile(String userImage, Path quarkusApp, JsonNode metadata, String cacheKey, String appDigest)
            throws IOException {
        if (!Files.isRegularFile(quarkusApp.resolve("quarkus-run.jar"))) {
            throw new IOException("no packaged app at " + quarkusApp + ": run ./mvnw package first");
        }
        List<String> endpoints = new ArrayList<>();
        metadata.path("endpoints").forEach(endpoint -> endpoints.add(endpoint.path("path").asText()));
        StringBuilder dockerfile = new StringBuilder();
        dockerfile.append("FROM ").append(userImage).append('\n');
        if (Files.isDirectory(quarkusApp.resolve("lib"))) {
            dockerfile.append("COPY lib ").append(APP_DIR).append("/lib\n");
        }
        try (Stream<Path> entries = Files.list(quarkusApp)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (!name.equals("lib")) {
                    dockerfile.append("COPY ").append(name).append(' ').append(APP_DIR).append('/').append(name)
                            .append('\n');
                }
            }
        }
        dockerfile.append("ENV PORT=8080\n")
                .append("EXPOSE 8080\n")
                .append("WORKDIR ").append(APP_DIR).append('\n')
                .append("HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 ")
                .append("CMD curl -fsS \"http://127.0.0.1:${PORT}/health\" || exit 1\n")
                .append("LABEL io.fal4j.app=").append(quote(metadata.path("name").asText()))
                .append(" io.fal4j.endpoints=").append(quote(String.join(",", endpoints)))
                .append(" io.fal4j.machine-type=").append(quote(metadata.path("knobs").path("machine_type").path(0).asText()))
                .append(" io.fal4j.cache-key=").append(quote(cacheKey))
                .append(" io.fal4j.app-digest=").append(quote(appDigest)).append('\n')
                .append("ENTRYPOINT [\"java\", \"-jar\", \"").append(APP_DIR).append("/quarkus-run.jar\"]\n");
        return dockerfile.toString();
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
