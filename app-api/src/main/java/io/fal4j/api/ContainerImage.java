package io.fal4j.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The container image an app runs in: a Dockerfile with its build arguments, build secrets,
 * private registries, build context and layer compression. fal4j builds it, adds the packaged app
 * on top, and pushes it.
 *
 * <pre>{@code
 * @Override
 * public ContainerImage image() {
 *     return ContainerImage.fromDockerfileStr("""
 *             FROM pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime
 *             ARG MODEL=stable-diffusion-v1-5
 *             RUN --mount=type=secret,id=hf_token python3 export.py --model $MODEL
 *             """)
 *         .withBuildArg("MODEL", "stable-diffusion-v1-5")
 *         .withSecret("hf_token", "$HF_TOKEN")
 *         .withRegistry("ghcr.io", "my-user", "$GHCR_TOKEN")
 *         .addDockerignore("*.ckpt", "!keep.ckpt")
 *         .withCompression(ContainerImage.Compression.ZSTD);
 * }
 * }</pre>
 *
 * <p>Values are immutable: every {@code with...} and {@code add...} method returns a copy. Every
 * option is checked when it is set, so a mistake fails the build that reads the spec, with a
 * message that says what to change. Secrets and registry passwords are never written in code:
 * they are references ({@code $NAME}) to environment variables of the machine that builds the
 * image, resolved there and never stored.
 */
public final class ContainerImage {

    private final String dockerfile;
    private final Map<String, String> buildArgs;
    private final Map<String, String> secrets;
    private final Map<String, Registry> registries;
    private final Path contextDir;
    private final List<String> dockerignore;
    private final Path dockerignorePath;
    private final Compression compression;
    private final boolean forceCompression;

    private ContainerImage(String dockerfile, Map<String, String> buildArgs, Map<String, String> secrets,
            Map<String, Registry> registries, Path contextDir, List<String> dockerignore, Path dockerignorePath,
            Compression compression, boolean forceCompression) {
        this.dockerfile = dockerfile;
        this.buildArgs = buildArgs;
        this.secrets = secrets;
        this.registries = registries;
        this.contextDir = contextDir;
        this.dockerignore = dockerignore;
        this.dockerignorePath = dockerignorePath;
        this.compression = compression;
        this.forceCompression = forceCompression;
    }

    /**
     * An image built from Dockerfile text, with an empty build context until
     * {@link #withContextDir(Path)} names one (so {@code COPY} has nothing to copy before that).
     *
     * @param dockerfile the Dockerfile's text, with at least one {@code FROM}
     * @throws IllegalArgumentException when the text is blank or has no {@code FROM}
     */
    public static ContainerImage fromDockerfileStr(String dockerfile) {
        return new ContainerImage(ImageRules.checkDockerfile(dockerfile, "The Dockerfile text"), Map.of(), Map.of(),
                Map.of(), null, List.of(), null, Compression.GZIP, false);
    }

    /**
     * An image built from a Dockerfile on disk, read now. The build context is the directory the
     * Dockerfile is in, as with {@code docker build -f dir/Dockerfile dir}.
     *
     * @param path the Dockerfile
     * @throws IllegalArgumentException when the file cannot be read, is blank or has no {@code FROM}
     */
    public static ContainerImage fromDockerfile(Path path) {
        Objects.requireNonNull(path, "path");
        Path file = absolute(path);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("Cannot read the Dockerfile " + file + ": " + e.getMessage(), e);
        }
        return fromDockerfileStr(ImageRules.checkDockerfile(text, "The Dockerfile " + file)).withContextDir(file.getParent());
    }

    /** The Dockerfile's text. */
    public String dockerfile() {
        return dockerfile;
    }

    /** The build arguments, passed as {@code --build-arg NAME=value}; in insertion order. */
    public Map<String, String> buildArgs() {
        return buildArgs;
    }

    /**
     * The build secrets: secret id to a reference ({@code $NAME}) to the environment variable that
     * holds the value when the image is built. A Dockerfile reads one with
     * {@code RUN --mount=type=secret,id=<id>}; it never reaches a layer.
     */
    public Map<String, String> secrets() {
        return secrets;
    }

    /** Credentials for private registries, by host ({@code ghcr.io}, {@code localhost:5000}). */
    public Map<String, Registry> registries() {
        return registries;
    }

    /** The build context directory, absolute; empty for an empty context. */
    public Optional<Path> contextDir() {
        return Optional.ofNullable(contextDir);
    }

    /**
     * Ignore patterns with {@code .dockerignore} syntax, applied after those of
     * {@link #dockerignorePath()} and {@code <contextDir>/.dockerignore}, so they win.
     */
    public List<String> dockerignore() {
        return dockerignore;
    }

    /** A {@code .dockerignore} file to use besides the context's own, when set. */
    public Optional<Path> dockerignorePath() {
        return Optional.ofNullable(dockerignorePath);
    }

    /** The compression of the pushed layers. */
    public Compression compression() {
        return compression;
    }

    /** Whether layers that exist in another compression are recompressed rather than reused. */
    public boolean forceCompression() {
        return forceCompression;
    }

    /**
     * Replaces the build arguments.
     *
     * @throws IllegalArgumentException when a name is not a valid {@code ARG} name
     */
    public ContainerImage withBuildArgs(Map<String, String> args) {
        Map<String, String> copy = new LinkedHashMap<>();
        args.forEach((name, value) -> copy.put(ImageRules.checkArgName(name), Objects.requireNonNull(value, "value of " + name)));
        return new ContainerImage(dockerfile, unmodifiable(copy), secrets,
                registries, contextDir, dockerignore, dockerignorePath, compression, forceCompression);
    }

    /**
     * Adds or replaces one build argument.
     *
     * @throws IllegalArgumentException when the name is not a valid {@code ARG} name
     */
    public ContainerImage withBuildArg(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(buildArgs);
        copy.put(ImageRules.checkArgName(name), Objects.requireNonNull(value, "value of " + name));
        return withBuildArgs(copy);
    }

    /**
     * Replaces the build secrets.
     *
     * @param secrets secret id to a reference, {@code $NAME} or {@code ${NAME}}, to the environment
     *        variable that holds the value at build time
     * @throws IllegalArgumentException when an id is invalid or a value is not a reference
     */
    public ContainerImage withSecrets(Map<String, String> secrets) {
        Map<String, String> copy = new LinkedHashMap<>();
        secrets.forEach((id, reference) -> copy.put(ImageRules.checkSecretId(id), ImageRules.checkReference(reference, "Secret '" + id + "'")));
        return new ContainerImage(dockerfile, buildArgs, unmodifiable(copy), registries, contextDir, dockerignore,
                dockerignorePath, compression, forceCompression);
    }

    /**
     * Adds or replaces one build secret.
     *
     * @param id the id a Dockerfile mounts it by ({@code RUN --mount=type=secret,id=<id>})
     * @param reference {@code $NAME} or {@code ${NAME}}: the environment variable that holds the value
     * @throws IllegalArgumentException when the id is invalid or the value is not a reference
     */
    public ContainerImage withSecret(String id, String reference) {
        Map<String, String> copy = new LinkedHashMap<>(secrets);
        copy.put(ImageRules.checkSecretId(id), ImageRules.checkReference(reference, "Secret '" + id + "'"));
        return withSecrets(copy);
    }

    /**
     * Replaces the private registry credentials.
     *
     * @throws IllegalArgumentException when a host is not a registry host name
     */
    public ContainerImage withRegistries(Map<String, Registry> registries) {
        Map<String, Registry> copy = new LinkedHashMap<>();
        registries.forEach((host, registry) -> {
            if (registry == null) {
                throw new IllegalArgumentException("Registry " + host + " has no username and password");
            }
            copy.put(ImageRules.checkHost(host), registry);
        });
        return new ContainerImage(dockerfile, buildArgs, secrets, unmodifiable(copy), contextDir, dockerignore,
                dockerignorePath, compression, forceCompression);
    }

    /**
     * Adds or replaces the credentials of one private registry, used to pull the base image and to
     * push the result.
     *
     * @param host the registry host, with a port if it has one ({@code localhost:5000})
     * @param username the user name, or a {@code $NAME} reference to it
     * @param password a {@code $NAME} reference to the environment variable that holds the password
     *        or token
     * @throws IllegalArgumentException when the host is invalid, the username is blank or the
     *         password is not a reference
     */
    public ContainerImage withRegistry(String host, String username, String password) {
        Map<String, Registry> copy = new LinkedHashMap<>(registries);
        copy.put(ImageRules.checkHost(host), new Registry(username, password));
        return withRegistries(copy);
    }

    /**
     * Sets the build context directory: the files {@code COPY} and {@code ADD} can read. A relative
     * path is resolved against the working directory now, when the spec is made.
     *
     * @throws IllegalArgumentException when it is not an existing directory
     */
    public ContainerImage withContextDir(Path dir) {
        Path resolved = absolute(Objects.requireNonNull(dir, "dir"));
        if (!Files.isDirectory(resolved)) {
            throw new IllegalArgumentException("The build context " + resolved + " is not a directory");
        }
        return new ContainerImage(dockerfile, buildArgs, secrets, registries, resolved, dockerignore,
                dockerignorePath, compression, forceCompression);
    }

    /** Replaces the ignore patterns ({@code .dockerignore} syntax, one pattern an entry). */
    public ContainerImage withDockerignore(List<String> patterns) {
        List<String> copy = new ArrayList<>();
        for (String pattern : patterns) {
            copy.add(ImageRules.checkPattern(pattern));
        }
        return new ContainerImage(dockerfile, buildArgs, secrets, registries, contextDir, List.copyOf(copy),
                dockerignorePath, compression, forceCompression);
    }

    /** Appends ignore patterns after the existing ones; later patterns win, as in a file. */
    public ContainerImage addDockerignore(String... patterns) {
        List<String> copy = new ArrayList<>(dockerignore);
        copy.addAll(Arrays.asList(patterns));
        return withDockerignore(copy);
    }

    /** Uses a {@code .dockerignore} file besides the context's own, resolved against the working directory now. */
    public ContainerImage withDockerignorePath(Path path) {
        return new ContainerImage(dockerfile, buildArgs, secrets, registries, contextDir, dockerignore,
                absolute(Objects.requireNonNull(path, "path")), compression, forceCompression);
    }

    /** Sets the compression of the pushed layers. */
    public ContainerImage withCompression(Compression compression) {
        return new ContainerImage(dockerfile, buildArgs, secrets, registries, contextDir, dockerignore,
                dockerignorePath, Objects.requireNonNull(compression, "compression"), forceCompression);
    }

    /**
     * Sets the compression of the pushed layers by name.
     *
     * @param name {@code gzip} or {@code zstd}, in any case
     * @throws IllegalArgumentException for any other name
     */
    public ContainerImage withCompression(String name) {
        return withCompression(Compression.of(name));
    }

    /** Recompresses layers that a registry or cache holds in another compression, instead of reusing them. */
    public ContainerImage withForceCompression(boolean force) {
        return new ContainerImage(dockerfile, buildArgs, secrets, registries, contextDir, dockerignore,
                dockerignorePath, compression, force);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerImage other && dockerfile.equals(other.dockerfile)
                && buildArgs.equals(other.buildArgs) && secrets.equals(other.secrets)
                && registries.equals(other.registries) && Objects.equals(contextDir, other.contextDir)
                && dockerignore.equals(other.dockerignore)
                && Objects.equals(dockerignorePath, other.dockerignorePath)
                && compression == other.compression && forceCompression == other.forceCompression;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dockerfile, buildArgs, secrets, registries, contextDir, dockerignore, dockerignorePath,
                compression, forceCompression);
    }

    @Override
    public String toString() {
        return "ContainerImage[contextDir=" + contextDir + ", buildArgs=" + buildArgs.keySet() + ", secrets="
                + secrets.keySet() + ", registries=" + registries.keySet() + ", compression=" + compression + "]";
    }

    /**
     * Credentials for one private registry.
     *
     * @param username the user name, or a {@code $NAME} reference to it
     * @param password a {@code $NAME} reference to the environment variable holding the password
     */
    public record Registry(String username, String password) {

        /**
         * Checks the credentials.
         *
         * @throws IllegalArgumentException when the username is blank or the password is not a
         *         reference
         */
        public Registry {
            if (username == null || username.isBlank()) {
                throw new IllegalArgumentException("A registry needs a username");
            }
            if (password == null || password.isBlank()) {
                throw new IllegalArgumentException("Registry user '" + username + "' needs a password");
            }
            ImageRules.checkReference(password, "The password of registry user '" + username + "'");
        }

        /** The name of the environment variable that holds the password. */
        public String passwordVariable() {
            return referencedName(password);
        }

        @Override
        public String toString() {
            return "Registry[username=" + username + ", password=" + password + "]";
        }
    }

    /** How pushed layers are compressed. */
    public enum Compression {
        /** gzip: every registry and runtime reads it. */
        GZIP,
        /** zstd: smaller and faster to decompress; needs a recent registry and runtime. */
        ZSTD;

        /**
         * The compression with this name.
         *
         * @param name {@code gzip} or {@code zstd}, in any case
         * @throws IllegalArgumentException for any other name
         */
        public static Compression of(String name) {
            Objects.requireNonNull(name, "name");
            for (Compression c : values()) {
                if (c.name().equalsIgnoreCase(name.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("Unknown compression '" + name + "': use gzip or zstd");
        }

        /** The lower-case name, as image tools spell it. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The environment variable a reference points to.
     *
     * @param reference {@code $NAME} or {@code ${NAME}}
     * @return {@code NAME}
     * @throws IllegalArgumentException when it is not a reference
     */
    public static String referencedName(String reference) {
        return ImageRules.referencedName(reference);
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static <K, V> Map<K, V> unmodifiable(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
