package io.fal4j.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fal4j.api.App;
import io.fal4j.api.ContainerImage;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.RequestContext;
import io.quarkus.test.QuarkusUnitTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The build writes the app's metadata: name, knobs, endpoints and the image spec, with secret names only. */
class MetadataTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(ImageApp.class, Input.class, Output.class));

    public record Input(String prompt) {
    }

    public record Output(List<String> urls) {
    }

    @FalApp(name = "text-to-image", machineType = {"GPU-H100", "GPU-A100"}, numGpus = 1, keepAlive = 300,
            maxConcurrency = 4, maxMultiplexing = 2, requestTimeout = 120, startupTimeout = 900,
            auth = FalApp.Auth.SHARED)
    public static class ImageApp implements App {
        @Override
        public ContainerImage image() {
            return ContainerImage.fromDockerfileStr("FROM pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime\n"
                    + "RUN --mount=type=secret,id=hf_token true\n")
                    .withBuildArg("MODEL", "sd15")
                    .withSecret("hf_token", "$HF_TOKEN")
                    .withRegistry("ghcr.io", "fal4j", "${GHCR_TOKEN}")
                    .addDockerignore("*.ckpt")
                    .withCompression(ContainerImage.Compression.ZSTD);
        }

        @Endpoint("/")
        public Output generate(Input input, RequestContext ctx) {
            return new Output(List.of());
        }

        @Endpoint("/batch")
        public List<Output> batch(Input input) {
            return List.of();
        }
    }

    @Test
    void describesTheAppAndItsImage() throws Exception {
        String text;
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("META-INF/fal4j/app.json")) {
            assertNotNull(in, "no metadata in the packaged app");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode app = new ObjectMapper().readTree(text);

        assertEquals(1, app.path("metadata_version").asInt());
        assertEquals("text-to-image", app.path("name").asText());
        assertEquals(ImageApp.class.getName(), app.path("app_class").asText());
        JsonNode knobs = app.path("knobs");
        assertEquals("[\"GPU-H100\",\"GPU-A100\"]", knobs.path("machine_type").toString());
        assertEquals(1, knobs.path("num_gpus").asInt());
        assertEquals(300, knobs.path("keep_alive").asInt());
        assertEquals(4, knobs.path("max_concurrency").asInt());
        assertEquals(2, knobs.path("max_multiplexing").asInt());
        assertEquals(120, knobs.path("request_timeout").asInt());
        assertEquals(900, knobs.path("startup_timeout").asInt());
        assertEquals("SHARED", knobs.path("auth").asText());

        assertEquals("/", app.path("endpoints").path(0).path("path").asText());
        assertEquals(Input.class.getName(), app.path("endpoints").path(0).path("input").asText());
        assertEquals("/batch", app.path("endpoints").path(1).path("path").asText());
        assertEquals("java.util.List<" + Output.class.getName() + ">",
                app.path("endpoints").path(1).path("output").asText());

        JsonNode image = app.path("image");
        assertEquals("sd15", image.path("build_args").path("MODEL").asText());
        assertEquals("[{\"id\":\"hf_token\",\"env\":\"HF_TOKEN\"}]", image.path("secrets").toString());
        assertEquals("{\"username\":\"fal4j\",\"password_env\":\"GHCR_TOKEN\"}",
                image.path("registries").path("ghcr.io").toString());
        assertEquals("zstd", image.path("compression").asText());
        assertEquals("[\"*.ckpt\"]", image.path("dockerignore").toString());
        assertEquals(true, image.path("context_dir").isNull());
        assertFalse(text.contains("$HF_TOKEN"), text);
    }
}
