package io.fal4j.runtime;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.fal4j.api.File;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns what went wrong while binding a request body (a Jackson exception, Bean Validation
 * violations) into FastAPI-shaped {@link FieldError}s with JSON field names in {@code loc}.
 */
final class InputErrors {

    private final ObjectMapper mapper;

    InputErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The error for a body that is empty or {@code null}. */
    static List<FieldError> missingBody() {
        return List.of(new FieldError(List.of("body"), "Field required", "missing"));
    }

    /** The errors a Jackson exception stands for. */
    List<FieldError> of(JacksonException e) {
        List<Object> loc = location(e);
        if (e instanceof MissingFieldsException missing) {
            return missing.fields().stream().map(field -> new FieldError(append(loc, field), "Field required", "missing"))
                    .toList();
        }
        Throwable cause = e.getCause();
        if (cause instanceof InputCoercionException coercion) {
            return List.of(outOfRange(loc, coercion.getTargetType()));
        }
        if (e instanceof InputCoercionException coercion) {
            return List.of(outOfRange(loc, coercion.getTargetType()));
        }
        if (e instanceof ValueInstantiationException invalid) {
            Throwable reason = invalid.getCause() == null ? invalid : invalid.getCause();
            return List.of(new FieldError(loc, "Value error, " + reason.getMessage(), "value_error"));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Object value = e instanceof InvalidFormatException format ? format.getValue() : null;
            return List.of(wrongType(loc, mismatch.getTargetType(), value));
        }
        JacksonException syntax = cause instanceof JacksonException inner ? inner : e;
        JsonLocation at = syntax.getLocation();
        long offset = at == null ? -1 : at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
        return List.of(new FieldError(offset >= 0 ? List.of("body", offset) : List.of("body"), "JSON decode error",
                "json_invalid", Map.of("error", firstLine(syntax.getOriginalMessage()))));
    }

    /** The errors Bean Validation found, sorted by location. */
    List<FieldError> of(Collection<? extends ConstraintViolation<?>> violations, JavaType root) {
        return violations.stream()
                .map(v -> Constraints.describe(location(root, v.getPropertyPath()), v))
                .sorted(Comparator.comparing(error -> error.loc().toString()))
                .toList();
    }

    private static List<Object> location(JacksonException e) {
        List<Object> loc = new ArrayList<>();
        loc.add("body");
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                loc.add(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex());
            }
        }
        return loc;
    }

    private List<Object> location(JavaType root, Path path) {
        List<Object> loc = new ArrayList<>();
        loc.add("body");
        JavaType current = root;
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                Object key = node.getIndex() != null ? node.getIndex() : node.getKey();
                if (key != null) {
                    loc.add(key);
                }
                current = current.getContentType() != null ? current.getContentType() : TypeFactory.unknownType();
            }
            if (node.getKind() == ElementKind.PROPERTY) {
                BeanPropertyDefinition property = property(current, node.getName());
                loc.add(property != null ? property.getName() : node.getName());
                current = property != null ? property.getPrimaryType() : TypeFactory.unknownType();
            }
        }
        return loc;
    }

    private BeanPropertyDefinition property(JavaType owner, String javaName) {
        if (owner.isContainerType() || owner.getRawClass() == Object.class) {
            return null;
        }
        return mapper.getDeserializationConfig().introspect(owner).findProperties().stream()
                .filter(p -> p.getInternalName().equals(javaName)).findFirst().orElse(null);
    }

    private FieldError wrongType(List<Object> loc, Class<?> target, Object value) {
        Class<?> type = target.isPrimitive() ? boxed(target) : target;
        if (Number.class.isAssignableFrom(type) && integral(type)) {
            if (value instanceof Number) {
                return new FieldError(loc, "Input should be a valid integer, got a number with a fractional part",
                        "int_from_float");
            }
            return value instanceof String
                    ? new FieldError(loc, "Input should be a valid integer, unable to parse string as an integer",
                            "int_parsing")
                    : new FieldError(loc, "Input should be a valid integer", "int_type");
        }
        if (Number.class.isAssignableFrom(type)) {
            return value instanceof String
                    ? new FieldError(loc, "Input should be a valid number, unable to parse string as a number",
                            "float_parsing")
                    : new FieldError(loc, "Input should be a valid number", "float_type");
        }
        if (type == Boolean.class) {
            return new FieldError(loc, "Input should be a valid boolean", value instanceof String ? "bool_parsing"
                    : "bool_type");
        }
        if (type == String.class || type == Character.class || CharSequence.class.isAssignableFrom(type)) {
            return new FieldError(loc, "Input should be a valid string", "string_type");
        }
        if (File.class.isAssignableFrom(type)) {
            return new FieldError(loc, "Input should be an http, https or data URL, or an object with one as \"url\"",
                    "url_parsing");
        }
        if (type.isEnum()) {
            String expected = expectedConstants(type);
            return new FieldError(loc, "Input should be " + expected, "enum", Map.of("expected", expected));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return new FieldError(loc, "Input should be a valid list", "list_type");
        }
        if (Map.class.isAssignableFrom(type)) {
            return new FieldError(loc, "Input should be a valid dictionary", "dict_type");
        }
        return new FieldError(loc, "Input should be a valid dictionary or object to extract fields from",
                "model_attributes_type");
    }

    private static FieldError outOfRange(List<Object> loc, Class<?> target) {
        Class<?> type = target == null ? Long.class : target.isPrimitive() ? boxed(target) : target;
        String range = type == Integer.class ? "-2147483648 and 2147483647"
                : type == Short.class ? "-32768 and 32767"
                : type == Byte.class ? "-128 and 127"
                : "-9223372036854775808 and 9223372036854775807";
        return new FieldError(loc, "Input should be an integer between " + range, "int_parsing_size");
    }

    private String expectedConstants(Class<?> enumType) {
        List<String> names = Stream.of(enumType.getEnumConstants())
                .map(c -> "'" + mapper.convertValue(c, String.class) + "'").toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", "))
                + " or " + names.get(names.size() - 1);
    }

    private static boolean integral(Class<?> type) {
        return type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class;
    }

    private static Class<?> boxed(Class<?> primitive) {
        return switch (primitive.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            default -> primitive;
        };
    }

    private static List<Object> append(List<Object> loc, Object last) {
        List<Object> copy = new ArrayList<>(loc);
        copy.add(last);
        return copy;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid JSON";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
