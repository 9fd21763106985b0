package io.fal4j.runtime;

import io.fal4j.api.AppException;
import java.util.Map;

/**
 * A request the runner answers with an error of its own (413, 415, 422, 429, 503, ...) rather than
 * one the app raised; it carries the status, the {@code detail} and any headers.
 */
public final class RunnerException extends AppException {

    private static final long serialVersionUID = 1L;

    private final transient Object detail;
    private final transient Map<String, String> headers;

    /**
     * Creates the error.
     *
     * @param status the HTTP status
     * @param detail the {@code detail} value: a string, or a list of {@link FieldError}s for 422
     */
    public RunnerException(int status, Object detail) {
        this(status, detail, Map.of());
    }

    /** Creates the error with response headers, such as {@code Retry-After}. */
    public RunnerException(int status, Object detail, Map<String, String> headers) {
        super(status, detail.toString());
        this.detail = detail;
        this.headers = Map.copyOf(headers);
    }

    /** The {@code detail} of the body. */
    public Object detail() {
        return detail;
    }

    /** Headers the answer carries. */
    public Map<String, String> headers() {
        return headers;
    }
}
