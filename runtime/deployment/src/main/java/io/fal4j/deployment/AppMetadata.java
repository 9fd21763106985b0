package io.fal4j.deployment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fal4j.api.ContainerImage;
import java.io.IOException;

/**
 * The app's metadata file ({@code fal4j-app.json}), written by the build next to the packaged app
 * for the image builder and deployer: name, knobs, endpoints and the image spec. Secrets and
 * registry passwords appear only as the names of the variables that hold them.
 */
final class AppMetadata {

    /** Bumped when a field changes meaning, so readers can refuse what they do not understand. */
    static final int VERSION = 1;

    private AppMetadata() {
    }

    static byte[] write(ScannedApp app, ContainerImage image) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode().put("metadata_version", VERSION).put("name", app.name())
                .put("app_class", app.className());
        ScannedApp.Knobs knobs = app.knobs();
        ObjectNode scaling = root.putObject("knobs");
        ArrayNode machines = scaling.putArray("machine_type");
        knobs.machineType().forEach(machines::add);
        scaling.put("num_gpus", knobs.numGpus()).put("keep_alive", knobs.keepAlive())
                .put("min_concurrency", knobs.minConcurrency()).put("max_concurrency", knobs.maxConcurrency())
                .put("concurrency_buffer", knobs.concurrencyBuffer()).put("max_multiplexing", knobs.maxMultiplexing())
                .put("request_timeout", knobs.requestTimeout()).put("startup_timeout", knobs.startupTimeout())
                .put("auth", knobs.auth());
        ArrayNode endpoints = root.putArray("endpoints");
        for (ScannedApp.Endpoint endpoint : app.endpoints()) {
            endpoints.addObject().put("path", endpoint.path()).put("method", endpoint.method())
                    .put("input", endpoint.inputClass()).put("output", endpoint.outputType());
        }
        root.set("image", image(mapper, image));
        return mapper.writeValueAsBytes(root);
    }

    private static ObjectNode image(ObjectMapper mapper, ContainerImage image) {
        ObjectNode spec = mapper.createObjectNode().put("dockerfile", image.dockerfile());
        ObjectNode args = spec.putObject("build_args");
        image.buildArgs().forEach(args::put);
        ArrayNode secrets = spec.putArray("secrets");
        image.secrets().forEach((id, reference) -> secrets.addObject().put("id", id)
                .put("env", ContainerImage.referencedName(reference)));
        ObjectNode registries = spec.putObject("registries");
        image.registries().forEach((host, registry) -> registries.putObject(host).put("username", registry.username())
                .put("password_env", registry.passwordVariable()));
        spec.put("context_dir", image.contextDir().map(Object::toString).orElse(null));
        ArrayNode ignore = spec.putArray("dockerignore");
        image.dockerignore().forEach(ignore::add);
        spec.put("dockerignore_path", image.dockerignorePath().map(Object::toString).orElse(null));
        spec.put("compression", image.compression().id()).put("force_compression", image.forceCompression());
        return spec;
    }
}
