package io.fal4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds with buildah, which needs no daemon: {@code --isolation chroot} for RUN steps, layer
 * caching on, secrets passed as BuildKit-style secret mounts. Global options (a storage root, a
 * storage driver) come from the constructor, so tests can keep their images apart.
 */
public final class BuildahBuilder implements Builder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEPT_LINES = 30;

    private final List<String> globalOptions;

    /** @param globalOptions options before the verb, such as {@code --root DIR --storage-driver vfs} */
    public BuildahBuilder(List<String> globalOptions) {
        this.globalOptions = List.copyOf(globalOptions);
    }

    /** The builder with options from {@code $FAL4J_BUILDAH_OPTS} (space-separated), if set. */
    public static BuildahBuilder fromEnvironment() {
        String options = System.getenv("FAL4J_BUILDAH_OPTS");
        return new BuildahBuilder(options == null || options.isBlank() ? List.of() : List.of(options.strip().split("\\s+")));
    }

    @Override
    public boolean exists(String image) throws IOException {
        return Commands.run(command("inspect", "--type", "image", "--format", "{{.FromImageID}}", image), line -> { })
                .status() == 0;
    }

    @Override
    public void build(Build build, Consumer<String> progress) throws IOException {
        Path dockerfile = Files.createTempFile("fal4j-", ".Dockerfile");
        try {
            Files.writeString(dockerfile, build.dockerfile());
            // The Docker format keeps HEALTHCHECK, which OCI image configs have no field for.
            List<String> command = command("bud", "--isolation", "chroot", "--layers", "--format", "docker",
                    "-f", dockerfile.toString(), "-t", build.tag());
            if (build.authFile() != null) {
                command.addAll(List.of("--authfile", build.authFile().toString()));
            }
            if (build.noCache()) {
                command.add("--no-cache");
            }
            build.buildArgs().forEach((name, value) -> command.addAll(List.of("--build-arg", name + "=" + value)));
            build.secrets().forEach((id, file) -> command.addAll(List.of("--secret", "id=" + id + ",src=" + file)));
            command.add(build.context().toString());
            Deque<String> last = new ArrayDeque<>();
            Execution execution = Commands.run(command, line -> {
                progress.accept(line);
                if (last.size() == KEPT_LINES) {
                    last.removeFirst();
                }
                last.addLast(line);
            });
            if (execution.status() != 0) {
                throw new IOException("buildah bud failed with status " + execution.status() + ":\n"
                        + String.join("\n", last));
            }
        } finally {
            Files.deleteIfExists(dockerfile);
        }
    }

    @Override
    public Execution run(String image, List<String> command) throws IOException {
        Execution created = Commands.run(command("from", "--quiet", image), line -> { });
        if (created.status() != 0) {
            throw new IOException("cannot start a container of " + image + ": " + created.output());
        }
        String container = created.output().strip();
        try {
            List<String> run = command("run", "--isolation", "chroot", container, "--");
            run.addAll(command);
            return Commands.run(run, line -> { });
        } finally {
            Commands.run(command("rm", container), line -> { });
        }
    }

    @Override
    public List<String> layers(String image) throws IOException {
        Execution inspected = Commands.run(command("inspect", "--type", "image", image), line -> { });
        if (inspected.status() != 0) {
            throw new IOException("cannot inspect " + image + ": " + inspected.output());
        }
        List<String> layers = new ArrayList<>();
        JSON.readTree(inspected.output()).path("OCIv1").path("rootfs").path("diff_ids")
                .forEach(layer -> layers.add(layer.asText()));
        return layers;
    }

    @Override
    public Map<String, String> labels(String image) throws IOException {
        Execution inspected = Commands.run(command("inspect", "--type", "image", image), line -> { });
        JsonNode labels = JSON.readTree(inspected.output()).path("OCIv1").path("config").path("Labels");
        return JSON.convertValue(labels, JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    List<String> command(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("buildah");
        command.addAll(globalOptions);
        command.addAll(List.of(arguments));
        return command;
    }

    @Override
    public void export(String image, Path dir, boolean oci, String compression) throws IOException {
        Commands.check(Commands.run(command("push", "--quiet", "--format", oci ? "oci" : "v2s2", "--compression-format",
                compression, image, "dir:" + dir), line -> { }), "buildah push to " + dir);
    }

    @Override
    public Running start(String image, Map<String, String> env, Path log) throws IOException {
        Execution inspected = Commands.check(Commands.run(command("inspect", "--type", "image", image), line -> { }),
                "buildah inspect " + image);
        JsonNode config = JSON.readTree(inspected.output()).path("OCIv1").path("config");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        config.path("Cmd").forEach(part -> entrypoint.add(part.asText()));
        if (entrypoint.isEmpty()) {
            throw new IOException(image + " has no entrypoint to run");
        }
        String container = Commands.check(Commands.run(command("from", "--quiet", image), line -> { }),
                "buildah from " + image).output().strip();
        List<String> run = command("run", "--isolation", "chroot");
        env.forEach((name, value) -> run.addAll(List.of("-e", name + "=" + value)));
        run.add(container);
        run.add("--");
        run.addAll(entrypoint);
        Process process = new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Running(process, () -> Commands.run(command("rm", container), line -> { }));
    }
}
