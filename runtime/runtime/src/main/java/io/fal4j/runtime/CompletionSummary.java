package io.fal4j.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fal4j.runtime.queue.JournalRecord;
import java.io.IOException;

/** What a completed queued request reports besides its answer: the error summary, and the webhook body. */
final class CompletionSummary {

    private CompletionSummary() {
    }

    /** {@code error} and {@code error_type} of a failed answer; empty strings for a success. */
    static String[] error(ObjectMapper mapper, int status, byte[] body) {
        if (status >= 200 && status < 300) {
            return new String[] {"", ""};
        }
        String type = switch (status) {
            case 422 -> "validation_error";
            case 499 -> "cancelled";
            case 504 -> "timeout";
            case 429, 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "request_error";
        };
        String message = "Request failed with status " + status;
        try {
            JsonNode detail = mapper.readTree(body).path("detail");
            if (detail.isTextual()) {
                message = detail.asText();
            }
        } catch (IOException e) {
            // the generic message stands
        }
        return new String[] {message, type};
    }

    /** fal's webhook body: {@code request_id, gateway_request_id, status OK|ERROR, payload, error}. */
    static byte[] webhookBody(ObjectMapper mapper, JournalRecord.Submitted submitted,
            JournalRecord.Completed completed) {
        ObjectNode body = mapper.createObjectNode();
        body.put("request_id", submitted.id());
        body.put("gateway_request_id", submitted.id());
        body.put("status", completed.ok() ? "OK" : "ERROR");
        try {
            body.set("payload", mapper.readTree(completed.body()));
        } catch (IOException e) {
            body.putNull("payload");
            body.put("payload_error", "The answer is not valid JSON: " + e.getMessage());
        }
        if (completed.ok()) {
            body.putNull("error");
        } else {
            body.put("error", "Invalid status code: " + completed.status());
        }
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
