package io.fal4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnativeServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    private static JsonNode app(String machineType, int gpus) throws IOException {
        return JSON.readTree("""
                {"name": "Text_To_Image", "knobs": {"machine_type": ["%s"], "num_gpus": %d, "keep_alive": 300,
                 "min_concurrency": 1, "max_concurrency": 8, "max_multiplexing": 2, "request_timeout": 120,
                 "startup_timeout": 900}}
                """.formatted(machineType, gpus));
    }

    @Test
    void mapsTheKnobsOntoAKnativeService() throws IOException {
        JsonNode service = YAML.readTree(KnativeService.yaml(app("GPU-H100", 2), "r.io/t2i@sha256:ab",
                KnativeService.defaultMachineTypes()));
        assertEquals("serving.knative.dev/v1", service.path("apiVersion").asText());
        assertEquals("text-to-image", service.path("metadata").path("name").asText());
        JsonNode template = service.path("spec").path("template");
        JsonNode annotations = template.path("metadata").path("annotations");
        assertTrue(annotations.path("autoscaling.knative.dev/min-scale").isTextual(), "annotations are strings");
        assertEquals("1", annotations.path("autoscaling.knative.dev/min-scale").asText());
        assertEquals("8", annotations.path("autoscaling.knative.dev/max-scale").asText());
        assertEquals("300s", annotations.path("autoscaling.knative.dev/scale-to-zero-pod-retention-period").asText());
        assertEquals("900s", annotations.path("serving.knative.dev/progress-deadline").asText());
        JsonNode spec = template.path("spec");
        assertEquals(2, spec.path("containerConcurrency").asInt());
        assertEquals(120, spec.path("timeoutSeconds").asInt());
        JsonNode container = spec.path("containers").get(0);
        assertEquals("r.io/t2i@sha256:ab", container.path("image").asText());
        assertEquals("2", container.path("resources").path("limits").path("nvidia.com/gpu").asText(), "per GPU x 2");
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("NVIDIA-H100-80GB-HBM3", spec.path("nodeSelector").path("nvidia.com/gpu.product").asText());
    }

    @Test
    void aTableFileReplacesTheBuiltInOne() throws IOException {
        Path table = Files.writeString(dir.resolve("types.yaml"),
                "GPU-H100:\n  limits: {nvidia.com/gpu: 1, memory: 80Gi}\n  node_selector: {pool: h100}\n");
        JsonNode service = YAML.readTree(KnativeService.yaml(app("GPU-H100", 1), "img",
                KnativeService.machineTypes(table)));
        JsonNode spec = service.path("spec").path("template").path("spec");
        assertEquals("80Gi", spec.path("containers").get(0).path("resources").path("limits").path("memory").asText());
        assertEquals("h100", spec.path("nodeSelector").path("pool").asText());
        IOException unknown = assertThrows(IOException.class, () -> KnativeService.yaml(app("GPU-A100", 1), "img",
                KnativeService.machineTypes(table)));
        assertTrue(unknown.getMessage().contains("GPU-A100"), unknown.getMessage());
    }

    @Test
    void namesBecomeKubernetesNames() {
        assertEquals("text-to-image", KnativeService.dnsName("Text_To_Image"));
        assertEquals("app", KnativeService.dnsName("123"));
        assertEquals(63, KnativeService.dnsName("a".repeat(80)).length());
    }

    @Test
    void theCommandWritesTheManifestBesideTheApp() throws IOException {
        Files.createDirectories(dir.resolve("target"));
        JSON.writeValue(dir.resolve("target/fal4j-app.json").toFile(), app("CPU", 1));
        Path written = ManifestsCommand.write(dir, "img@sha256:00", null, null);
        assertEquals(dir.resolve("target/knative/service.yaml"), written);
        JsonNode limits = YAML.readTree(written.toFile()).path("spec").path("template").path("spec")
                .path("containers").get(0).path("resources").path("limits");
        assertEquals("4", limits.path("cpu").asText());
        assertTrue(YAML.readTree(written.toFile()).path("spec").path("template").path("spec").path("nodeSelector")
                .isMissingNode(), "no node selector for CPU");
    }
}
