package io.fal4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Builds with a Docker engine and BuildKit, for machines that have one: {@code docker build} with
 * secret mounts, credentials through a temporary {@code DOCKER_CONFIG}, and skopeo reading the
 * engine's images for export.
 */
public final class DockerBuilder implements Builder {

    /** Runs a command with extra environment variables; tests replace it. */
    interface Runner {
        Execution run(List<String> command, Map<String, String> env, Consumer<String> lines) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Runner runner;

    public DockerBuilder() {
        this(Commands::run);
    }

    DockerBuilder(Runner runner) {
        this.runner = runner;
    }

    /** Whether a Docker engine answers here. */
    static boolean available() {
        try {
            return Commands.run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), line -> { }).status() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean exists(String image) throws IOException {
        return runner.run(List.of("docker", "image", "inspect", image), Map.of(), line -> { }).status() == 0;
    }

    @Override
    public void build(Build build, Consumer<String> progress) throws IOException {
        Path dockerfile = Files.createTempFile("fal4j-", ".Dockerfile");
        Path config = null;
        try {
            Files.writeString(dockerfile, build.dockerfile());
            List<String> command = new ArrayList<>(List.of("docker", "build", "--progress", "plain", "-f",
                    dockerfile.toString(), "-t", build.tag()));
            if (build.noCache()) {
                command.add("--no-cache");
            }
            build.buildArgs().forEach((name, value) -> command.addAll(List.of("--build-arg", name + "=" + value)));
            build.secrets().forEach((id, file) -> command.addAll(List.of("--secret", "id=" + id + ",src=" + file)));
            command.add(build.context().toString());
            Map<String, String> env = new java.util.HashMap<>(Map.of("DOCKER_BUILDKIT", "1"));
            if (build.authFile() != null) {
                // The engine reads credentials from DOCKER_CONFIG/config.json, the same format as the auth file.
                config = Files.createTempDirectory("fal4j-docker-config");
                Files.copy(build.authFile(), config.resolve("config.json"));
                env.put("DOCKER_CONFIG", config.toString());
            }
            Commands.check(runner.run(command, env, progress), "docker build");
        } finally {
            Files.deleteIfExists(dockerfile);
            if (config != null) {
                Files.deleteIfExists(config.resolve("config.json"));
                Files.deleteIfExists(config);
            }
        }
    }

    @Override
    public Execution run(String image, List<String> command) throws IOException {
        List<String> run = new ArrayList<>(List.of("docker", "run", "--rm", "--entrypoint", command.get(0), image));
        run.addAll(command.subList(1, command.size()));
        return runner.run(run, Map.of(), line -> { });
    }

    @Override
    public List<String> layers(String image) throws IOException {
        JsonNode inspected = inspect(image);
        List<String> layers = new ArrayList<>();
        inspected.path("RootFS").path("Layers").forEach(layer -> layers.add(layer.asText()));
        return layers;
    }

    @Override
    public Map<String, String> labels(String image) throws IOException {
        JsonNode labels = inspect(image).path("Config").path("Labels");
        return labels.isObject() ? JSON.convertValue(labels, JSON.getTypeFactory().constructMapType(Map.class,
                String.class, String.class)) : Map.of();
    }

    @Override
    public void export(String image, Path dir, boolean oci, String compression) throws IOException {
        Commands.check(runner.run(List.of("skopeo", "copy", "--format", oci ? "oci" : "v2s2", "--dest-compress",
                "--dest-compress-format", compression, "docker-daemon:" + image, "dir:" + dir), Map.of(), line -> { }),
                "skopeo copy from the Docker engine");
    }

    @Override
    public Running start(String image, Map<String, String> env, Path log) throws IOException {
        String name = "fal4j-run-" + UUID.randomUUID();
        List<String> command = new ArrayList<>(List.of("docker", "run", "--rm", "--name", name, "--network", "host"));
        env.forEach((key, value) -> command.addAll(List.of("-e", key + "=" + value)));
        command.add(image);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Running(process, () -> runner.run(List.of("docker", "rm", "-f", name), Map.of(), line -> { }));
    }

    private JsonNode inspect(String image) throws IOException {
        Execution inspected = Commands.check(runner.run(List.of("docker", "image", "inspect", image), Map.of(),
                line -> { }), "docker image inspect " + image);
        return JSON.readTree(inspected.output()).path(0);
    }
}
