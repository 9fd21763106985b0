package io.fal4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands the Docker builder gives an engine, recorded by a fake runner (no engine runs here). */
class DockerBuilderTest {

    @TempDir
    Path dir;

    private final List<List<String>> commands = new ArrayList<>();
    private final List<Map<String, String>> environments = new ArrayList<>();
    private final List<String> configs = new ArrayList<>();

    private DockerBuilder builder(int status, String output) {
        return new DockerBuilder((command, env, lines) -> {
            commands.add(command);
            environments.add(env);
            if (env.containsKey("DOCKER_CONFIG")) {
                configs.add(Files.readString(Path.of(env.get("DOCKER_CONFIG"), "config.json")));
            }
            return new Builder.Execution(status, output);
        });
    }

    @Test
    void buildsWithBuildKitSecretsArgsAndATemporaryDockerConfig() throws IOException {
        Path auth = Files.writeString(dir.resolve("auth.json"), "{\"auths\":{\"ghcr.io\":{\"auth\":\"eDp5\"}}}");
        Path token = Files.writeString(dir.resolve("token"), "secret");
        builder(0, "").build(new Builder.Build("FROM a:1\n", dir, Map.of("MODEL", "sd15"), Map.of("hf_token", token),
                "app:latest", true, auth), line -> { });
        List<String> command = commands.get(0);
        assertEquals(List.of("docker", "build"), command.subList(0, 2));
        assertTrue(command.containsAll(List.of("-t", "app:latest", "--no-cache", "--build-arg", "MODEL=sd15",
                "--secret", "id=hf_token,src=" + token)), command.toString());
        assertEquals(dir.toString(), command.get(command.size() - 1));
        assertEquals("1", environments.get(0).get("DOCKER_BUILDKIT"));
        assertEquals(Files.readString(auth), configs.get(0));
        assertTrue(!Files.exists(Path.of(environments.get(0).get("DOCKER_CONFIG"))), "the config is deleted afterwards");
    }

    @Test
    void aFailedBuildSaysSo() {
        IOException failed = assertThrows(IOException.class, () -> builder(1, "step 2 failed").build(
                new Builder.Build("FROM a:1\n", dir, Map.of(), Map.of(), "t", false, null), line -> { }));
        assertTrue(failed.getMessage().contains("docker build failed: step 2 failed"), failed.getMessage());
    }

    @Test
    void readsLayersAndLabelsAndExportsThroughSkopeo() throws IOException {
        DockerBuilder docker = builder(0, "[{\"RootFS\":{\"Layers\":[\"sha256:a\",\"sha256:b\"]},"
                + "\"Config\":{\"Labels\":{\"io.fal4j.app\":\"echo\"}}}]");
        assertEquals(List.of("sha256:a", "sha256:b"), docker.layers("echo"));
        assertEquals(Map.of("io.fal4j.app", "echo"), docker.labels("echo"));
        docker.export("echo:latest", dir.resolve("out"), true, "zstd");
        assertEquals(List.of("skopeo", "copy", "--format", "oci", "--dest-compress", "--dest-compress-format", "zstd",
                "docker-daemon:echo:latest", "dir:" + dir.resolve("out")), commands.get(commands.size() - 1));
        docker.run("echo:latest", List.of("sh", "-c", "command -v curl"));
        assertEquals(List.of("docker", "run", "--rm", "--entrypoint", "sh", "echo:latest", "-c", "command -v curl"),
                commands.get(commands.size() - 1));
    }
}
