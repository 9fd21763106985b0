package io.fal4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The Knative Serving manifest of an app, from its knobs: {@code maxMultiplexing} becomes
 * {@code containerConcurrency}, min/max concurrency the min/max scale, {@code keepAlive} the
 * scale-to-zero retention, {@code requestTimeout} {@code timeoutSeconds}, {@code startupTimeout}
 * the progress deadline, and the machine type GPU limits and node selectors from a table (node
 * selectors need Knative's {@code kubernetes.podspec-nodeselector} feature). Probes use the
 * runner's MicroProfile health routes.
 */
public final class KnativeService {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // Kubernetes wants annotation values as strings: "0", not 0.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private KnativeService() {
    }

    /** The built-in machine-type table ({@code machine-types.yaml} beside this class). */
    public static JsonNode defaultMachineTypes() throws IOException {
        try (InputStream table = KnativeService.class.getResourceAsStream("machine-types.yaml")) {
            return YAML.readTree(table);
        }
    }

    /** A machine-type table from a YAML or JSON file. */
    public static JsonNode machineTypes(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    /**
     * The manifest, as YAML.
     *
     * @param metadata the app's {@code fal4j-app.json}
     * @param image the image to run, best pinned by digest
     * @throws IOException when the app's machine type is not in the table
     */
    public static String yaml(JsonNode metadata, String image, JsonNode machineTypes) throws IOException {
        JsonNode knobs = metadata.path("knobs");
        String app = metadata.path("name").asText();
        String machineType = knobs.path("machine_type").path(0).asText("CPU");
        JsonNode machine = machineTypes.path(machineType);
        if (machine.isMissingNode()) {
            throw new IOException("the machine type " + machineType + " is not in the machine-type table; add it "
                    + "(--machine-types F)");
        }
        ObjectNode service = YAML.createObjectNode();
        service.put("apiVersion", "serving.knative.dev/v1");
        service.put("kind", "Service");
        ObjectNode meta = service.putObject("metadata");
        meta.put("name", dnsName(app));
        meta.putObject("labels").put("app.kubernetes.io/name", dnsName(app)).put("io.fal4j/app", app);
        ObjectNode template = service.putObject("spec").putObject("template");
        ObjectNode annotations = template.putObject("metadata").putObject("annotations");
        annotations.put("autoscaling.knative.dev/min-scale", knobs.path("min_concurrency").asText("0"));
        annotations.put("autoscaling.knative.dev/max-scale", knobs.path("max_concurrency").asText("0"));
        annotations.put("autoscaling.knative.dev/scale-to-zero-pod-retention-period",
                knobs.path("keep_alive").asInt(0) + "s");
        annotations.put("serving.knative.dev/progress-deadline", knobs.path("startup_timeout").asInt(600) + "s");
        ObjectNode spec = template.putObject("spec");
        spec.put("containerConcurrency", knobs.path("max_multiplexing").asInt(1));
        spec.put("timeoutSeconds", knobs.path("request_timeout").asInt(3600));
        ObjectNode container = spec.putArray("containers").addObject();
        container.put("name", "app");
        container.put("image", image);
        container.putArray("ports").addObject().put("containerPort", 8080);
        container.set("readinessProbe", probe("/q/health/ready"));
        container.set("livenessProbe", probe("/q/health/live"));
        ObjectNode limits = container.putObject("resources").putObject("limits");
        int gpus = Math.max(1, knobs.path("num_gpus").asInt(1));
        for (Iterator<Map.Entry<String, JsonNode>> it = machine.path("limits").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> limit = it.next();
            limits.put(limit.getKey(), limit.getKey().endsWith("/gpu")
                    ? Integer.toString(limit.getValue().asInt() * gpus) : limit.getValue().asText());
        }
        if (machine.path("node_selector").size() > 0) {
            spec.set("nodeSelector", machine.path("node_selector"));
        }
        return YAML.writeValueAsString(service);
    }

    private static ObjectNode probe(String path) {
        ObjectNode probe = YAML.createObjectNode();
        probe.putObject("httpGet").put("path", path);
        probe.put("periodSeconds", 10);
        probe.put("failureThreshold", 3);
        return probe;
    }

    /** A Kubernetes name: lower case letters, digits and dashes, starting with a letter, at most 63 long. */
    static String dnsName(String name) {
        String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^[^a-z]+", "")
                .replaceAll("-+$", "");
        cleaned = cleaned.isEmpty() ? "app" : cleaned;
        return cleaned.length() > 63 ? cleaned.substring(0, 63).replaceAll("-+$", "") : cleaned;
    }
}
