package io.fal4j.docker;

import java.nio.file.Path;

/** Where fal4j keeps what it knows of earlier builds: {@code $FAL4J_CACHE_DIR}, or {@code ~/.cache/fal4j}. */
final class BuildRecords {

    private BuildRecords() {
    }

    static Path dir() {
        String configured = System.getenv("FAL4J_CACHE_DIR");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "fal4j");
    }

    /** The inputs of the last build of an app. */
    static Path lastBuild(String app) {
        return dir().resolve(app).resolve("last-build.json");
    }
}
