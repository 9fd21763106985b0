package io.fal4j.runtime;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.fal4j.api.File;
import io.fal4j.runtime.files.FileJson;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Writes the runner's answers: JSON bodies, and errors as {@code {"detail": ...}} through
 * {@link Problem}. Unexpected failures are logged here, once, with the request id.
 */
final class ResponseWriter {

    private static final Logger LOG = Logger.getLogger(ResponseWriter.class);
    private static final String JSON = "application/json";

    private final ObjectWriter writer;
    private final Consumer<Throwable> deviceFault;

    ResponseWriter(ObjectWriter writer, Consumer<Throwable> deviceFault) {
        this.writer = writer;
        this.deviceFault = deviceFault;
    }

    /** Serializes a value to a JSON buffer. */
    Buffer json(Object value) throws IOException {
        return json(writer, value);
    }

    /** Serializes an output whose files were stored at these URLs. */
    Buffer json(Object value, Map<File, String> stored) throws IOException {
        return json(writer.withAttribute(FileJson.STORED, stored), value);
    }

    /** The files of an output that still have to be stored, found by a serialization that writes nothing. */
    List<File> filesIn(Object value) throws IOException {
        List<File> files = new ArrayList<>();
        writer.withAttribute(FileJson.COLLECT, files).writeValue(OutputStream.nullOutputStream(), value);
        return files;
    }

    private static Buffer json(ObjectWriter writer, Object value) throws IOException {
        var bytes = Unpooled.buffer(256);
        try (ByteBufOutputStream out = new ByteBufOutputStream(bytes)) {
            writer.writeValue((OutputStream) out, value);
        }
        return Buffer.buffer(bytes);
    }

    /** Sends a JSON body. */
    void send(RoutingContext http, int status, Buffer body) {
        HttpServerResponse response = http.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status);
        response.headers().set(HttpHeaders.CONTENT_TYPE, JSON);
        response.end(body);
    }

    /** Sends {@code {"detail": detail}} with the status and headers. */
    void error(RoutingContext http, int status, Object detail, Map<String, String> headers) {
        HttpServerResponse response = http.response();
        if (response.ended() || response.closed()) {
            return;
        }
        headers.forEach(response.headers()::set);
        if (!http.request().isEnded()) {
            // The body was not read; closing is the only safe way to skip it.
            response.headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        send(http, status, errorBody(detail));
    }

    /** The body {@code {"detail": detail}}. */
    Buffer errorBody(Object detail) {
        try {
            return json(Map.of("detail", detail));
        } catch (IOException e) {
            LOG.error("Cannot write an error body", e);
            return Buffer.buffer("{\"detail\":\"Internal Server Error\"}");
        }
    }

    /**
     * Answers a failure and returns its status; logs it when it is unexpected, with its stack trace
     * and under the request id already in the log context.
     */
    int failure(RoutingContext http, Throwable failure, String requestId) {
        Problem problem = problem(failure, requestId);
        error(http, problem.status(), problem.detail(), problem.headers());
        return problem.status();
    }

    /** How a failure is answered; logs it when it is unexpected, and reports a device fault. */
    Problem problem(Throwable failure, String requestId) {
        Problem problem = Problem.of(failure);
        if (problem.unexpected()) {
            LOG.errorf(failure, "Request %s failed", requestId);
        }
        if (problem.poisonsDevice()) {
            deviceFault.accept(failure);
        }
        return problem;
    }

    /** The scheme and authority a request was sent to, such as {@code http://localhost:8080}. */
    static String origin(RoutingContext http) {
        HostAndPort authority = http.request().authority();
        return http.request().scheme() + "://" + (authority == null ? "localhost"
                : authority.host() + (authority.port() > 0 ? ":" + authority.port() : ""));
    }
}
