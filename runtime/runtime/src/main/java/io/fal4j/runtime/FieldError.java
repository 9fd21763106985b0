package io.fal4j.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * One item of a 422 answer, in FastAPI's (pydantic's) shape:
 * {@code {"loc":["body","field"],"msg":"...","type":"...","ctx":{...}}}.
 *
 * @param loc where the problem is: {@code "body"}, then field names and list indices
 * @param msg what is wrong, for people
 * @param type what is wrong, for programs (pydantic's error types: {@code missing},
 *        {@code int_parsing}, {@code greater_than_equal}, {@code json_invalid}, ...)
 * @param ctx the parameters of the rule that failed ({@code {"ge": 1}}), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"loc", "msg", "type", "ctx"})
public record FieldError(List<Object> loc, String msg, String type, Map<String, Object> ctx) {

    public FieldError {
        loc = List.copyOf(loc);
        ctx = ctx == null ? null : Map.copyOf(ctx);
    }

    /** An error without rule parameters. */
    public FieldError(List<Object> loc, String msg, String type) {
        this(loc, msg, type, null);
    }
}
