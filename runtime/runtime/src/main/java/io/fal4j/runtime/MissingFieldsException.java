package io.fal4j.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.List;

/** Required fields a JSON object left out; its path leads to the object, the fields are below it. */
final class MissingFieldsException extends MismatchedInputException {

    private static final long serialVersionUID = 1L;

    private final List<String> fields;

    MissingFieldsException(JsonParser parser, Class<?> type, List<String> fields) {
        super(parser, "Missing required fields " + fields + " of " + type.getSimpleName(), type);
        this.fields = List.copyOf(fields);
    }

    /** The JSON names of the missing fields. */
    List<String> fields() {
        return fields;
    }
}
