package io.fal4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The echo app of the runtime's integration tests built into a real image with buildah, on a base
 * made with debootstrap: a build secret reaches its RUN step and no layer; the image runs and
 * answers; an unchanged key reuses the user's layers and a change of the app alone rebuilds only
 * the platform layers.
 */
class ImageBuildIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ECHO_APP = Path.of("../runtime/integration-tests/target").toAbsolutePath().normalize();
    private static Path work;
    private static BuildahBuilder builder;
    private static String unavailable;

    @BeforeAll
    static void prepare() throws Exception {
        unavailable = TestBase.unavailable();
        if (unavailable.isEmpty() && !Files.isRegularFile(ECHO_APP.resolve("quarkus-app/quarkus-run.jar"))) {
            unavailable = "the echo app is not packaged at " + ECHO_APP + " (build runtime/integration-tests first)";
        }
        if (!unavailable.isEmpty()) {
            return;
        }
        work = Files.createTempDirectory("fal4j-image-it");
        builder = new BuildahBuilder(List.of("--root", work.resolve("storage").toString(), "--runroot",
                work.resolve("run").toString(), "--storage-driver", "overlay"));
        TestBase.importInto(builder);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (work != null) {
            Commands.run(builder.command("rm", "--all"), line -> { });
            Commands.run(builder.command("rmi", "--all", "--force"), line -> { });
            Commands.run(List.of("umount", "-R", work.resolve("storage/overlay").toString()), line -> { });
            Commands.run(List.of("rm", "-rf", work.toString()), line -> { });
        }
    }

    /** An app project: the echo app's package, with an image spec that copies context and uses a secret. */
    private static Path appProject(String secretVariable) throws IOException {
        Path project = work.resolve("project-" + UUID.randomUUID());
        Files.createDirectories(project.resolve("target"));
        Path context = project.resolve("context");
        Files.createDirectories(context);
        Files.writeString(context.resolve("greeting.txt"), "hello from the context\n");
        Files.writeString(context.resolve(".env"), "LEFT_OUT=1\n");
        Commands.run(List.of("cp", "-a", ECHO_APP.resolve("quarkus-app").toString(),
                project.resolve("target").toString() + "/"), line -> { });
        ObjectNode metadata = (ObjectNode) JSON.readTree(ECHO_APP.resolve("fal4j-app.json").toFile());
        ObjectNode image = metadata.putObject("image");
        image.put("dockerfile", "FROM " + TestBase.IMAGE + "\n"
                + "COPY greeting.txt /opt/greeting.txt\n"
                + "RUN --mount=type=secret,id=token sh -c 'test -s /run/secrets/token && echo mounted > /opt/secret-check'\n");
        image.putObject("build_args");
        image.putArray("secrets").addObject().put("id", "token").put("env", secretVariable);
        image.putObject("registries");
        image.put("context_dir", context.toString());
        image.putArray("dockerignore");
        image.putNull("dockerignore_path");
        image.put("compression", "gzip");
        JSON.writeValue(project.resolve("target/fal4j-app.json").toFile(), metadata);
        return project;
    }

    @Test
    void buildsRunsAndRebuildsOnlyWhatChanged() throws Exception {
        assumeTrue(unavailable.isEmpty(), unavailable);
        String secret = "tok-" + UUID.randomUUID();
        Path project = appProject("FAL4J_TEST_TOKEN");
        List<String> progress = new ArrayList<>();
        ImageBuild build = new ImageBuild(builder, progress::add, Map.of("FAL4J_TEST_TOKEN", secret));

        ImageBuild.Result first = build.build(project, "localhost/fal4j-test/echo:1", false);
        assertFalse(first.reused());
        assertEquals("mounted\n", builder.run(first.image(), List.of("cat", "/opt/secret-check")).output());
        assertEquals("hello from the context\n", builder.run(first.image(), List.of("cat", "/opt/greeting.txt")).output());
        assertEquals("echo", builder.labels(first.image()).get("io.fal4j.app"));
        assertEquals(first.cacheKey(), builder.labels(first.image()).get("io.fal4j.cache-key"));
        assertTrue(progress.stream().noneMatch(line -> line.contains(secret)), "the secret never reaches the output");
        assertSecretInNoLayer(first.image(), secret);

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (ImageRun run = ImageRun.start(builder, first.image(), port, Map.of("FAL4J_QUEUE_DIR", "/tmp/queue"))) {
            run.awaitReady(Duration.ofSeconds(120));
            HttpResponse<String> echo = HttpClient.newHttpClient().send(HttpRequest.newBuilder(run.url("/echo"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"in a container\",\"seed\":9}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, echo.statusCode(), echo.body());
            assertEquals(9, JSON.readTree(echo.body()).path("seed").asInt());
        }

        progress.clear();
        ImageBuild.Result unchanged = build.build(project, "localhost/fal4j-test/echo:1", false);
        assertTrue(unchanged.reused(), "an unchanged cache key reuses the user's layers");
        assertEquals(first.layers(), unchanged.layers(), "nothing changed, so no layer changed");
        assertTrue(progress.get(0).startsWith("nothing changed"), progress.toString());
        ImageBuild.Result retagged = build.build(project, "localhost/fal4j-test/echo:2", false);
        assertTrue(retagged.reused());
        assertEquals(first.layers(), retagged.layers(), "a new tag of the same inputs has the same layers");

        Files.writeString(project.resolve("target/quarkus-app/app/extra.txt"), "a code change\n");
        ImageBuild.Result codeOnly = build.build(project, "localhost/fal4j-test/echo:3", false);
        assertTrue(codeOnly.reused(), "a change of the app alone keeps the user's layers");
        int userLayers = builder.layers(first.userImage()).size();
        assertEquals(first.layers().subList(0, userLayers + 1), codeOnly.layers().subList(0, userLayers + 1),
                "the user's layers and the dependencies' layer are reused");
        assertNotEquals(first.layers(), codeOnly.layers());

        Files.writeString(project.resolve("context/greeting.txt"), "changed\n");
        ImageBuild.Result contextChange = build.build(project, "localhost/fal4j-test/echo:4", false);
        assertFalse(contextChange.reused(), "a context change is a new cache key");
        assertNotEquals(first.cacheKey(), contextChange.cacheKey());
    }

    @Test
    void pushesWithGzipAndZstdToAnAuthenticatedRegistryAndRunsThePushedImage() throws Exception {
        assumeTrue(unavailable.isEmpty(), unavailable);
        assumeTrue(TestBase.onPath("docker-registry") && TestBase.onPath("skopeo") && TestBase.onPath("htpasswd")
                        && TestBase.onPath("zstd"),
                "needs docker-registry, skopeo, htpasswd (apache2-utils) and zstd");
        String secret = "tok-" + UUID.randomUUID();
        Path project = appProject("FAL4J_TEST_TOKEN");
        ImageBuild.Result built = new ImageBuild(builder, line -> { }, Map.of("FAL4J_TEST_TOKEN", secret))
                .build(project, "localhost/fal4j-test/echo:push", false);

        String password = "pw-" + UUID.randomUUID();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path registryDir = work.resolve("registry-" + port);
        Files.createDirectories(registryDir);
        Builder.Execution hash = Commands.run(List.of("htpasswd", "-Bbn", "fal4j", password), line -> { });
        Files.writeString(registryDir.resolve("htpasswd"), hash.output().strip() + "\n");
        Files.writeString(registryDir.resolve("config.yml"), "version: 0.1\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + registryDir.resolve("data") + "\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n"
                + "auth:\n  htpasswd:\n    realm: fal4j\n    path: " + registryDir.resolve("htpasswd") + "\n");
        Process registry = new ProcessBuilder("docker-registry", "serve", registryDir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(registryDir.resolve("registry.log").toFile()).start();
        try {
            awaitPort(port);
            String host = "127.0.0.1:" + port;
            List<String> progress = new ArrayList<>();
            ImagePush push = new ImagePush(builder, progress::add);
            java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> push.push(built.image(), host + "/echo:anonymous", "gzip", null, false));
            assertTrue(refused.getMessage().toLowerCase().contains("unauthorized"), refused.getMessage());
            try (RegistryAuth auth = RegistryAuth.write(Map.of(host, new ImageSpec.Registry("fal4j",
                    "FAL4J_TEST_REGISTRY_PASSWORD")), Map.of("FAL4J_TEST_REGISTRY_PASSWORD", password))) {
                ImagePush.Result gzip = push.push(built.image(), host + "/echo:gzip", "gzip", auth, false);
                ImagePush.Result zstd = push.push(built.image(), host + "/echo:zstd", "zstd", auth, false);
                assertEquals(built.layers().size(), gzip.mediaTypes().size());
                assertTrue(gzip.mediaTypes().stream().allMatch(t -> t.equals("application/vnd.docker.image.rootfs.diff.tar.gzip")));
                assertTrue(zstd.mediaTypes().stream().allMatch(t -> t.equals("application/vnd.oci.image.layer.v1.tar+zstd")));
                assertTrue(gzip.digest().startsWith("sha256:") && zstd.digest().startsWith("sha256:"));
                assertNotEquals(gzip.digest(), zstd.digest());
                assertTrue(progress.stream().noneMatch(line -> line.contains(password)), "the password is masked");
                Builder.Execution config = Commands.run(List.of("skopeo", "inspect", "--config", "--raw",
                        "--tls-verify=false", "--authfile", auth.file().toString(), "docker://" + host + "/echo:gzip"),
                        line -> { });
                assertTrue(config.output().contains("Healthcheck"), "a gzip image keeps its HEALTHCHECK: " + config.output());

                Builder.Execution pulled = Commands.run(builder.command("pull", "--quiet", "--tls-verify=false",
                        "--authfile", auth.file().toString(), host + "/echo:zstd"), line -> { });
                assertEquals(0, pulled.status(), pulled.output());
            }
            assertSecretInNoBlob(registryDir.resolve("data"), secret);
            int appPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                appPort = socket.getLocalPort();
            }
            try (ImageRun run = ImageRun.start(builder, host + "/echo:zstd", appPort, Map.of())) {
                run.awaitReady(Duration.ofSeconds(120));
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(run.url("/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
            }
        } finally {
            registry.destroy();
            registry.waitFor();
        }
    }

    private static void assertSecretInNoBlob(Path registryData, String secret) throws Exception {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        int blobs = 0;
        try (Stream<Path> files = Files.walk(registryData)) {
            for (Path blob : files.filter(path -> path.getFileName().toString().equals("data") && Files.isRegularFile(path))
                    .toList()) {
                blobs++;
                byte[] bytes = Files.readAllBytes(blob);
                boolean zstd = bytes.length > 4 && (bytes[0] & 0xff) == 0x28 && (bytes[1] & 0xff) == 0xb5;
                byte[] plain = zstd ? Commands.run(List.of("sh", "-c", "zstd -dc < '" + blob + "' | base64 -w0"),
                        line -> { }).output().transform(text -> java.util.Base64.getDecoder().decode(text.strip()))
                        : read(blob);
                assertFalse(contains(plain, needle), "the secret is in the pushed blob " + blob);
            }
        }
        assertTrue(blobs > 6, "the registry holds both images' blobs: " + blobs);
    }

    private static void awaitPort(int port) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the registry did not listen on " + port);
    }

    /** Pushes the image to an OCI layout and looks for the secret's bytes in every (decompressed) blob. */
    private static void assertSecretInNoLayer(String image, String secret) throws Exception {
        Path layout = work.resolve("layout-" + UUID.randomUUID());
        Builder.Execution pushed = Commands.run(builder.command("push", "--quiet", image,
                "oci:" + layout), line -> { });
        assertEquals(0, pushed.status(), pushed.output());
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        int blobs = 0;
        try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
            for (Path blob : files.toList()) {
                blobs++;
                assertFalse(contains(read(blob), needle), "the secret is in blob " + blob.getFileName());
            }
        }
        assertTrue(blobs > 3, "the layout holds the image's blobs");
    }

    private static byte[] read(Path blob) throws IOException {
        byte[] bytes = Files.readAllBytes(blob);
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            }
        }
        return bytes;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
