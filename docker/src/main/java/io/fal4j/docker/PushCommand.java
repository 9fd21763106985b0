package io.fal4j.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fal4j push}: an image (or an app project's, built first) to a registry, with its layers' compression checked. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Pushes an image, or builds and pushes an app project's image, and prints its digest.")
final class PushCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<image|app-dir>", description = "An image name, or an app project directory.")
    String target;

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

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    String output = "text";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = "json".equals(output);
        PrintWriter log = json ? err : out;
        try {
            ImagePush.Result result = ship(Builders.fromEnvironment(), line -> {
                log.println(line);
                log.flush();
            }).pushed();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("destination", result.destination());
                body.put("digest", result.digest());
                body.put("media_types", result.mediaTypes());
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(body));
            } else {
                out.println("pushed " + result.destination() + "@" + result.digest());
            }
            return 0;
        } catch (IOException | DockerfileException | ImageBuild.CheckFailure e) {
            err.println("fal4j push: " + e.getMessage());
            return 1;
        }
    }

    /** The local image and where it was pushed. */
    record Shipped(String image, ImagePush.Result pushed) {
    }

    /** Builds (for an app project) and pushes; {@code fal4j deploy} shares it. */
    Shipped ship(Builder builder, java.util.function.Consumer<String> progress) throws IOException {
        String image = target;
        Map<String, ImageSpec.Registry> registries = new TreeMap<>();
        String algorithm = compression;
        if (Files.isDirectory(Path.of(target))) {
            ImageBuild.Result built = new ImageBuild(builder, progress, System.getenv()).build(Path.of(target), null, false);
            image = built.image();
            registries.putAll(built.spec().registries());
            algorithm = algorithm != null ? algorithm : built.spec().compression();
        }
        if (username != null) {
            if (passwordVariable == null) {
                throw new IOException("--username needs --password-env NAME: passwords are never given on the command line");
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
