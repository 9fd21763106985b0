package io.fal4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds an app's image in two parts. The user's image (their Dockerfile over their context, with
 * build args and secrets) is named by its {@link CacheKey}: an unchanged key reuses it without a
 * build step. The platform layers go on top of it, so a change of the app's Java code rebuilds
 * only those. The result is checked before anyone ships it.
 */
public final class ImageBuild {

    /**
     * What a build made.
     *
     * @param image the final image
     * @param userImage the user's image under it
     * @param cacheKey the user image's key
     * @param reused whether the user's image was reused without a build step
     * @param warnings findings that do not stop the build
     * @param layers the final image's layers, base first
     * @param spec what it was built from
     */
    public record Result(String image, String userImage, String cacheKey, boolean reused, List<String> warnings,
            List<String> layers, ImageSpec spec) {
    }

    /** The build stopped on findings that must be fixed. */
    public static final class CheckFailure extends RuntimeException {

        private final List<ImageChecks.Finding> findings;

        CheckFailure(List<ImageChecks.Finding> findings) {
            super(String.join("\n", findings.stream().map(ImageChecks.Finding::toString).toList()));
            this.findings = List.copyOf(findings);
        }

        public List<ImageChecks.Finding> findings() {
            return findings;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder builder;
    private final Consumer<String> progress;
    private final Map<String, String> environment;

    /**
     * @param progress receives a line per step and the builder's output, secrets masked
     * @param environment where {@code $NAME} secret references are resolved
     */
    public ImageBuild(Builder builder, Consumer<String> progress, Map<String, String> environment) {
        this.builder = builder;
        this.progress = progress;
        this.environment = environment;
    }

    /**
     * Builds the image of an app project (with {@code target/fal4j-app.json} and
     * {@code target/quarkus-app}).
     *
     * @param tag the final image's name, or null for {@code localhost/fal4j/<app>:latest}
     * @throws CheckFailure when a check fails; DockerfileException for a bad Dockerfile line
     */
    public Result build(Path appDir, String tag, boolean noCache) throws IOException {
        return build(appDir, tag, noCache, true);
    }

    /** The same, with fal4j's default ignore rules on or off. */
    public Result build(Path appDir, String tag, boolean noCache, boolean defaultIgnores) throws IOException {
        Path metadataFile = appDir.resolve("target/fal4j-app.json");
        if (!Files.isRegularFile(metadataFile)) {
            throw new IOException("no " + metadataFile + ": build the app first (./mvnw package)");
        }
        JsonNode metadata = JSON.readTree(metadataFile.toFile());
        Scanned scanned = Scanned.of(appDir, null, null, defaultIgnores);
        ImageSpec spec = scanned.spec();
        List<ImageChecks.Finding> findings = new ArrayList<>(ImageChecks.ofDockerfile(scanned.dockerfile(),
                spec.buildArgs()));
        stopOnErrors(findings);
        String key = scanned.key().value();
        String name = "localhost/fal4j/" + spec.app().toLowerCase(Locale.ROOT);
        String userImage = name + ":user-" + key.substring("sha256:".length(), "sha256:".length() + 16);
        String image = tag != null ? tag : name + ":latest";
        Path quarkusApp = appDir.resolve("target/quarkus-app");
        String appDigest = BuildContext.scan(quarkusApp, IgnoreRules.none()).digest();
        Map<String, String> labels = !noCache && builder.exists(image) ? builder.labels(image) : Map.of();
        if (key.equals(labels.get("io.fal4j.cache-key")) && appDigest.equals(labels.get("io.fal4j.app-digest"))) {
            // Built and checked before from exactly these inputs.
            progress.accept("nothing changed (cache key " + key + "): " + image + " is up to date");
            List<String> warnings = findings.stream().map(ImageChecks.Finding::toString).toList();
            return new Result(image, userImage, key, true, warnings, builder.layers(image), spec);
        }
        boolean reused = !noCache && builder.exists(userImage);
        if (reused) {
            progress.accept("user layers: unchanged (cache key " + key + "), reusing " + userImage);
        } else {
            progress.accept("user layers: building " + userImage);
            Path context = scanned.context() != null ? scanned.context().root() : Files.createTempDirectory("fal4j-empty");
            try (BuildSecrets secrets = BuildSecrets.resolve(spec.secrets(), environment);
                    RegistryAuth auth = RegistryAuth.write(spec.registries(), environment)) {
                builder.build(new Builder.Build(spec.dockerfile(), context, spec.buildArgs(), secrets.files(),
                        userImage, noCache, auth == null ? null : auth.file()), line -> {
                            String masked = secrets.mask(line);
                            progress.accept("  " + (auth == null ? masked : auth.mask(masked)));
                        });
            }
        }
        progress.accept("platform layers: building " + image);
        String platform = PlatformLayer.dockerfile(userImage, quarkusApp, metadata, key, appDigest);
        builder.build(new Builder.Build(platform, quarkusApp, Map.of(), Map.of(), image, noCache, null),
                line -> progress.accept("  " + line));
        progress.accept("checking " + image);
        List<Dockerfile.Instruction> froms = scanned.dockerfile().froms();
        findings.addAll(ImageChecks.ofImage(builder, image, froms.get(froms.size() - 1).line()));
        stopOnErrors(findings);
        scanned.key().save(BuildRecords.lastBuild(spec.app()));
        List<String> warnings = findings.stream().map(ImageChecks.Finding::toString).toList();
        warnings.forEach(progress);
        return new Result(image, userImage, key, reused, warnings, builder.layers(image), spec);
    }

    private static void stopOnErrors(List<ImageChecks.Finding> findings) {
        if (findings.stream().anyMatch(ImageChecks.Finding::error)) {
            throw new CheckFailure(findings);
        }
    }
}
