package io.fal4j.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An image spec with its context scanned, its Dockerfile's sources checked, and its cache key.
 *
 * @param context the scanned context, or null when the image has none
 */
record Scanned(ImageSpec spec, Dockerfile dockerfile, BuildContext context, CacheKey key) {

    /**
     * Reads an app project (with {@code target/fal4j-app.json}) or a directory with a Dockerfile.
     *
     * @throws DockerfileException naming the line of a bad instruction or source
     */
    static Scanned of(Path dir, Path dockerfile, Path ignoreFile) throws IOException {
        return of(dir, dockerfile, ignoreFile, true);
    }

    /** The same, with fal4j's default ignore rules on or off. */
    static Scanned of(Path dir, Path dockerfile, Path ignoreFile, boolean defaultIgnores) throws IOException {
        Path metadata = dir.resolve("target/fal4j-app.json");
        ImageSpec spec = dockerfile == null && Files.isRegularFile(metadata) ? ImageSpec.ofApp(metadata)
                : ImageSpec.ofDirectory(dir, dockerfile, ignoreFile);
        if (!defaultIgnores) {
            spec = spec.withoutDefaultIgnores();
        }
        Dockerfile parsed = Dockerfile.parse(spec.dockerfile());
        BuildContext context = spec.contextDir().isPresent()
                ? BuildContext.scan(spec.contextDir().get(), spec.ignoreRules()) : null;
        parsed.contextSources(context != null ? context : BuildContext.empty(), spec.buildArgs());
        return new Scanned(spec, parsed, context, CacheKey.of(spec, context));
    }
}
