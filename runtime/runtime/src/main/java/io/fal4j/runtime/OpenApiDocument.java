package io.fal4j.runtime;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.1 document of an app: one {@code POST} per endpoint with its input and output
 * schemas and the runner's error answers, in the shapes FastAPI documents.
 */
final class OpenApiDocument {

    /** One endpoint's types, as the document needs them. */
    record Operation(EndpointSpec spec, JavaType input, JavaType output) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> ERRORS = Map.of(
            "413", "The request body is too large",
            "415", "The request body is not JSON",
            "429", "All slots are busy and the wait queue is full; retry after Retry-After seconds",
            "500", "The app failed unexpectedly",
            "503", "The app is not ready (STARTING, SETUP_FAILED, DRAINING) or the GPU failed",
            "504", "The request took longer than the app's requestTimeout");

    private OpenApiDocument() {
    }

    /** Writes the document. */
    static byte[] write(AppSpec app, List<Operation> operations, ObjectMapper mapper) throws Exception {
        JsonSchemas schemas = new JsonSchemas(mapper);
        ObjectNode document = NODES.objectNode().put("openapi", "3.1.0");
        ObjectNode info = document.putObject("info").put("title", app.name()).put("version", "1.0.0");
        if (!app.description().isEmpty()) {
            info.put("description", app.description());
        }
        ObjectNode paths = document.putObject("paths");
        for (Operation operation : operations) {
            paths.putObject(operation.spec().path()).set("post", operation(operation, schemas));
        }
        ObjectNode components = schemas.components();
        components.set("HTTPError", NODES.objectNode().put("title", "HTTPError").put("type", "object")
                .<ObjectNode>set("properties", NODES.objectNode().set("detail",
                        NODES.objectNode().put("title", "Detail").put("type", "string")))
                .set("required", NODES.arrayNode().add("detail")));
        components.set("ValidationError", validationError());
        components.set("HTTPValidationError", NODES.objectNode().put("title", "HTTPValidationError")
                .put("type", "object").set("properties", NODES.objectNode().set("detail", NODES.objectNode()
                        .put("title", "Detail").put("type", "array")
                        .set("items", ref("ValidationError")))));
        document.putObject("components").set("schemas", components);
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
    }

    private static ObjectNode operation(Operation operation, JsonSchemas schemas) {
        EndpointSpec spec = operation.spec();
        ObjectNode post = NODES.objectNode().put("operationId", spec.method()).put("summary", summary(spec.method()));
        if (!spec.description().isEmpty()) {
            post.put("description", spec.description());
        }
        post.putArray("parameters").addObject().put("name", RequestIds.HEADER).put("in", "header")
                .put("required", false).put("description", "The request's id; generated when absent, echoed back")
                .putObject("schema").put("type", "string");
        post.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                .set("schema", schemas.of(operation.input()));
        ObjectNode responses = post.putObject("responses");
        responses.putObject("200").put("description", "Successful Response").putObject("content")
                .putObject("application/json").set("schema", schemas.of(operation.output()));
        responses.putObject("422").put("description", "Validation Error").putObject("content")
                .putObject("application/json").set("schema", ref("HTTPValidationError"));
        ERRORS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(error -> responses
                .putObject(error.getKey()).put("description", error.getValue()).putObject("content")
                .putObject("application/json").set("schema", ref("HTTPError")));
        return post;
    }

    private static ObjectNode validationError() {
        ObjectNode schema = NODES.objectNode().put("title", "ValidationError").put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("loc").put("title", "Location").put("type", "array").putObject("items").putArray("anyOf")
                .add(NODES.objectNode().put("type", "string")).add(NODES.objectNode().put("type", "integer"));
        properties.putObject("msg").put("title", "Message").put("type", "string");
        properties.putObject("type").put("title", "Error Type").put("type", "string");
        properties.putObject("ctx").put("title", "Context").put("type", "object");
        schema.putArray("required").add("loc").add("msg").add("type");
        return schema;
    }

    private static ObjectNode ref(String component) {
        return NODES.objectNode().put("$ref", "#/components/schemas/" + component);
    }

    private static String summary(String method) {
        StringBuilder words = new StringBuilder();
        for (char c : method.toCharArray()) {
            if (Character.isUpperCase(c) && words.length() > 0) {
                words.append(' ');
            }
            words.append(words.length() == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return words.toString();
    }
}
