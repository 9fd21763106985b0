package io.fal4j.runtime;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * Where the answer to an {@link Invocation} goes: the HTTP exchange of a direct call, or the queue's
 * record of a queued request. The invocation guarantees it is called at most once.
 */
interface Reply {

    /** Delivers the answer. */
    void send(int status, Buffer body, Map<String, String> headers);

    /** The runner gives up on the request at shutdown, before it finished. */
    void abandon();

    /** The scheme and authority the client called, for the URLs of stored files. */
    String origin();

    /** A direct call's HTTP exchange. */
    record Http(io.vertx.ext.web.RoutingContext http, ResponseWriter responses) implements Reply {

        @Override
        public void send(int status, Buffer body, Map<String, String> headers) {
            headers.forEach(http.response().headers()::set);
            responses.send(http, status, body);
        }

        @Override
        public void abandon() {
            responses.error(http, 503, "The runner is shutting down", Map.of());
        }

        @Override
        public String origin() {
            return ResponseWriter.origin(http);
        }
    }
}
