package io.fal4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fal4j manifests}: the Knative Service of an app project for an image. */
@Command(name = "manifests", mixinStandardHelpOptions = true,
        description = "Writes the Knative Serving manifest of an app project for an image.")
final class ManifestsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<app-dir>", description = "The app project (after ./mvnw package).")
    Path appDir;

    @Option(names = "--image", required = true, paramLabel = "REF", description = "The image, best pinned: name@sha256:...")
    String image;

    @Option(names = "--machine-types", paramLabel = "F", description = "A machine-type table replacing the built-in one.")
    Path machineTypes;

    @Option(names = "--out", paramLabel = "F", description = "Where to write (default <app-dir>/target/knative/service.yaml).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Path written = write(appDir, image, machineTypes, out);
            spec.commandLine().getOut().println("wrote " + written);
            return 0;
        } catch (IOException e) {
            err.println("fal4j manifests: " + e.getMessage());
            return 1;
        }
    }

    /** Writes the manifest and returns where; {@code fal4j deploy --target knative} shares it. */
    static Path write(Path appDir, String image, Path machineTypes, Path out) throws IOException {
        Path metadata = appDir.resolve("target/fal4j-app.json");
        if (!Files.isRegularFile(metadata)) {
            throw new IOException("no " + metadata + ": build the app first (./mvnw package)");
        }
        JsonNode app = new ObjectMapper().readTree(metadata.toFile());
        JsonNode table = machineTypes != null ? KnativeService.machineTypes(machineTypes)
                : KnativeService.defaultMachineTypes();
        Path target = out != null ? out : appDir.resolve("target/knative/service.yaml");
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, KnativeService.yaml(app, image, table));
        return target;
    }
}
