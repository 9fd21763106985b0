package io.fal4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an image is built from: an app's {@code ContainerImage} as its build wrote it to
 * {@code target/fal4j-app.json} (secret and password values never appear there, only their names),
 * or a plain directory with a Dockerfile.
 *
 * @param app the app's name, or the directory's
 * @param dockerfile the Dockerfile's text
 * @param buildArgs build arguments
 * @param secrets the build secrets: id to the environment variable that holds the value at build time
 * @param registries the private registries: host to the user name and the variable holding the password
 * @param contextDir the build context, if any
 * @param dockerignore ignore patterns of the spec itself (highest precedence)
 * @param dockerignorePath an ignore file of the spec, if any
 * @param compression {@code gzip} or {@code zstd}
 * @param defaultIgnores whether fal4j's default ignore rules apply under the app's
 */
public record ImageSpec(String app, String dockerfile, Map<String, String> buildArgs, Map<String, String> secrets,
        Map<String, Registry> registries, Optional<Path> contextDir, List<String> dockerignore,
        Optional<Path> dockerignorePath, String compression, boolean defaultIgnores) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A private registry's credentials.
     *
     * @param username the user name
     * @param passwordVariable the environment variable that holds the password at build and push time
     */
    public record Registry(String username, String passwordVariable) {
    }

    public ImageSpec {
        buildArgs = Map.copyOf(buildArgs);
        secrets = Map.copyOf(secrets);
        registries = Map.copyOf(registries);
        dockerignore = List.copyOf(dockerignore);
    }

    /** Reads the image of an app's build metadata. */
    public static ImageSpec ofApp(Path metadata) throws IOException {
        JsonNode app = JSON.readTree(metadata.toFile());
        JsonNode image = app.path("image");
        if (image.isMissingNode() || image.isNull()) {
            throw new IOException(metadata + " has no image: the app's image() returned nothing");
        }
        Map<String, String> args = new TreeMap<>();
        image.path("build_args").fields().forEachRemaining(e -> args.put(e.getKey(), e.getValue().asText()));
        Map<String, String> secrets = new TreeMap<>();
        image.path("secrets").forEach(secret -> secrets.put(secret.path("id").asText(), secret.path("env").asText()));
        Map<String, Registry> registries = new TreeMap<>();
        image.path("registries").fields().forEachRemaining(e -> registries.put(e.getKey(),
                new Registry(e.getValue().path("username").asText(), e.getValue().path("password_env").asText())));
        List<String> ignore = new ArrayList<>();
        image.path("dockerignore").forEach(pattern -> ignore.add(pattern.asText()));
        return new ImageSpec(app.path("name").asText(), image.path("dockerfile").asText(), args, secrets, registries,
                path(image.path("context_dir")), ignore, path(image.path("dockerignore_path")),
                image.path("compression").asText("gzip"), image.path("default_dockerignore").asBoolean(true));
    }

    /** A directory with a Dockerfile (by default its own), built as it is. */
    public static ImageSpec ofDirectory(Path dir, Path dockerfile, Path ignoreFile) throws IOException {
        Path file = dockerfile != null ? dockerfile : dir.resolve("Dockerfile");
        if (!Files.isRegularFile(file)) {
            throw new IOException("no Dockerfile at " + file + " (name one with --dockerfile)");
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new ImageSpec(name == null ? "context" : name.toString(), Files.readString(file), Map.of(), Map.of(),
                Map.of(), Optional.of(dir), List.of(), Optional.ofNullable(ignoreFile), "gzip", true);
    }

    /** The same spec without fal4j's default ignore rules. */
    public ImageSpec withoutDefaultIgnores() {
        return new ImageSpec(app, dockerfile, buildArgs, secrets, registries, contextDir, dockerignore,
                dockerignorePath, compression, false);
    }

    /**
     * The ignore rules in force: fal4j's defaults (unless switched off), then {@code <context>/.dockerignore}, then the
     * spec's ignore file, then its own patterns; a later rule wins.
     */
    public IgnoreRules ignoreRules() throws IOException {
        IgnoreRules rules = defaultIgnores ? IgnoreRules.of(IgnoreRules.DEFAULTS) : IgnoreRules.none();
        if (contextDir.isPresent() && Files.isRegularFile(contextDir.get().resolve(".dockerignore"))) {
            rules = rules.then(parse(contextDir.get().resolve(".dockerignore")));
        }
        if (dockerignorePath.isPresent()) {
            rules = rules.then(parse(dockerignorePath.get()));
        }
        return rules.then(IgnoreRules.of(dockerignore));
    }

    private static IgnoreRules parse(Path file) throws IOException {
        try {
            return IgnoreRules.parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> path(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? Optional.of(Path.of(node.asText())) : Optional.empty();
    }
}
