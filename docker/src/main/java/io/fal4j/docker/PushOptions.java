package io.fal4j.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** Where and how {@code fal4j push} and {@code fal4j deploy} push, and the push itself. */
final class PushOptions {

    @Option(names = "--to", required = true, paramLabel = "DEST", description = "host[:port]/name:tag")
    String destination;

    @Option(names = "--compression", description = "gzip or zstd (default: the app's, or gzip).")
    String compression;

    @Option(names = "--tls-verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Use HTTPS and verify certificates (--no-tls-verify for a local HTTP registry).")
    boolean tlsVerify;

    @Option(names = "--username", description = "The registry user, when the app does not declare this registry.")
    String username;

    @Option(names = "--password-env", paramLabel = "NAME", description = "The variable holding that user's password.")
    String passwordVariable;

    /** The local image and where it was pushed. */
    record Shipped(String image, ImagePush.Result pushed) {
    }

    /** Builds {@code target} when it is an app project, then pushes the image. */
    Shipped ship(String target, Builder builder, Consumer<String> progress) throws IOException {
        String image = target;
        Map<String, ImageSpec.Registry> registries = new TreeMap<>();
        String algorithm = compression;
        if (Files.isDirectory(Path.of(target))) {
            ImageBuild.Result built = new ImageBuild(builder, progress, System.getenv()).build(Path.of(target), null,
                    false);
            image = built.image();
            registries.putAll(built.spec().registries());
            algorithm = algorithm != null ? algorithm : built.spec().compression();
        }
        if (username != null) {
            if (passwordVariable == null) {
                throw new IOException("--username needs --password-env NAME: passwords are never given on the "
                        + "command line");
            }
            registries.put(destination.substring(0, Math.max(0, destination.indexOf('/'))),
                    new ImageSpec.Registry(username, passwordVariable));
        }
        try (RegistryAuth auth = RegistryAuth.write(registries, System.getenv())) {
            return new Shipped(image, new ImagePush(builder, progress).push(image, destination,
                    algorithm != null ? algorithm : "gzip", auth, tlsVerify));
        }
    }
}
