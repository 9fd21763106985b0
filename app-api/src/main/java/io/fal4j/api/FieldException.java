package io.fal4j.api;

import java.util.List;

/**
 * An input field the app rejects after binding, answered with {@code 422} in fal's validation
 * shape: {@code {"detail":[{"loc":["body","field"],"msg":message,"type":"value_error"}]}}.
 *
 * <pre>{@code
 * if (input.width() % 8 != 0) {
 *     throw new FieldException("width", "must be a multiple of 8");
 * }
 * }</pre>
 */
public class FieldException extends AppException {

    private static final long serialVersionUID = 1L;

    private final List<Object> location;

    /**
     * Rejects a top-level field of the input.
     *
     * @param field the field's name as it appears in the JSON body
     * @param message what is wrong with it
     */
    public FieldException(String field, String message) {
        this(List.of(field), message);
    }

    /**
     * Rejects a nested field, given by its path below the body: names for object fields, indices
     * for list items ({@code List.of("images", 2, "url")}).
     *
     * @param location the path of the field, not empty
     * @param message what is wrong with it
     */
    public FieldException(List<?> location, String message) {
        super(422, message);
        if (location.isEmpty()) {
            throw new IllegalArgumentException("A FieldException names at least one field");
        }
        this.location = List.copyOf(location);
    }

    /** The path of the field below the body. */
    public List<Object> location() {
        return location;
    }
}
