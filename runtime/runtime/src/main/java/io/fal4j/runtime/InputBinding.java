package io.fal4j.runtime;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Binds request bodies to one endpoint's input type and validates them. The reader and the
 * validator's metadata are resolved once, when the endpoint is set up.
 */
final class InputBinding {

    private final JavaType type;
    private final ObjectReader reader;
    private final Validator validator;
    private final boolean constrained;
    private final InputErrors errors;

    InputBinding(ObjectMapper mapper, Class<?> type, Validator validator) {
        this.type = mapper.constructType(type);
        this.reader = mapper.readerFor(this.type);
        this.validator = validator;
        this.constrained = validator.getConstraintsForClass(type).isBeanConstrained();
        this.errors = new InputErrors(mapper);
    }

    /** The bound type. */
    JavaType type() {
        return type;
    }

    /**
     * Reads and validates one body.
     *
     * @throws RunnerException 422 with the field errors when the body does not bind or validate
     */
    Object bind(byte[] body, int offset, int length) {
        if (length == 0) {
            throw new RunnerException(422, InputErrors.missingBody());
        }
        Object input;
        try {
            input = reader.readValue(body, offset, length);
        } catch (JacksonException e) {
            throw new RunnerException(422, errors.of(e));
        } catch (IOException e) {
            throw new RunnerException(422, List.of(new FieldError(List.of("body"), "JSON decode error", "json_invalid")));
        }
        if (input == null) {
            throw new RunnerException(422, InputErrors.missingBody());
        }
        if (constrained) {
            Set<ConstraintViolation<Object>> violations = validator.validate(input);
            if (!violations.isEmpty()) {
                throw new RunnerException(422, errors.of(violations, type));
            }
        }
        return input;
    }
}
