package io.fal4j.runtime;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fal4j.api.Default;
import io.fal4j.api.Description;
import io.fal4j.api.File;
import io.fal4j.api.Image;
import io.fal4j.api.ImageSize;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * JSON Schemas (OpenAPI 3.1) of the types an app's endpoints take and return, as pydantic would
 * write them: objects as named components with titles, descriptions, defaults, examples, required
 * fields and the constraints of their Bean Validation annotations.
 */
final class JsonSchemas {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<Class<?>, String[]> SCALARS = new HashMap<>();

    static {
        for (Class<?> c : new Class<?>[] {int.class, Integer.class, short.class, Short.class, byte.class, Byte.class}) {
            SCALARS.put(c, new String[] {"integer", "int32"});
        }
        SCALARS.put(long.class, new String[] {"integer", "int64"});
        SCALARS.put(Long.class, new String[] {"integer", "int64"});
        SCALARS.put(BigInteger.class, new String[] {"integer", null});
        SCALARS.put(float.class, new String[] {"number", "float"});
        SCALARS.put(Float.class, new String[] {"number", "float"});
        SCALARS.put(double.class, new String[] {"number", "double"});
        SCALARS.put(Double.class, new String[] {"number", "double"});
        SCALARS.put(BigDecimal.class, new String[] {"number", null});
        SCALARS.put(boolean.class, new String[] {"boolean", null});
        SCALARS.put(Boolean.class, new String[] {"boolean", null});
        for (Class<?> c : new Class<?>[] {String.class, CharSequence.class, char.class, Character.class}) {
            SCALARS.put(c, new String[] {"string", null});
        }
        SCALARS.put(UUID.class, new String[] {"string", "uuid"});
        SCALARS.put(URI.class, new String[] {"string", "uri"});
        SCALARS.put(URL.class, new String[] {"string", "uri"});
        SCALARS.put(LocalDate.class, new String[] {"string", "date"});
        for (Class<?> c : new Class<?>[] {Instant.class, OffsetDateTime.class, ZonedDateTime.class,
                LocalDateTime.class}) {
            SCALARS.put(c, new String[] {"string", "date-time"});
        }
        SCALARS.put(Duration.class, new String[] {"string", "duration"});
        SCALARS.put(byte[].class, new String[] {"string", "byte"});
    }

    private final ObjectMapper mapper;
    private final ObjectNode components = NODES.objectNode();
    private final Map<Class<?>, String> names = new HashMap<>();

    JsonSchemas(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The named object schemas referenced so far. */
    ObjectNode components() {
        return components;
    }

    /** The schema of a type: inline for scalars, lists and maps, a {@code $ref} for objects and enums. */
    ObjectNode of(JavaType type) {
        Class<?> raw = type.getRawClass();
        String[] scalar = SCALARS.get(raw);
        if (scalar != null) {
            ObjectNode schema = NODES.objectNode().put("type", scalar[0]);
            return scalar[1] == null ? schema : schema.put("format", scalar[1]);
        }
        if (type.isReferenceType()) {
            return of(type.getReferencedType());
        }
        if (type.isMapLikeType()) {
            return NODES.objectNode().put("type", "object").set("additionalProperties", of(type.getContentType()));
        }
        if (type.isContainerType()) {
            ObjectNode schema = NODES.objectNode().put("type", "array");
            schema.set("items", of(type.getContentType()));
            return Set.class.isAssignableFrom(raw) ? schema.put("uniqueItems", true) : schema;
        }
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return NODES.objectNode();
        }
        if (raw == ImageSize.class) {
            ObjectNode schema = NODES.objectNode();
            ArrayNode presets = schema.putArray("anyOf").addObject().put("type", "string").putArray("enum");
            ImageSize.presets().keySet().forEach(presets::add);
            ((ArrayNode) schema.get("anyOf")).add(NODES.objectNode().put("$ref", "#/components/schemas/"
                    + component(type)));
            return schema;
        }
        return NODES.objectNode().put("$ref", "#/components/schemas/" + component(type));
    }

    private String component(JavaType type) {
        Class<?> raw = type.getRawClass();
        String known = names.get(raw);
        if (known != null) {
            return known;
        }
        String name = raw.getSimpleName();
        if (components.has(name)) {
            name = raw.getName().replace('.', '_').replace('$', '_');
        }
        names.put(raw, name);
        ObjectNode schema = NODES.objectNode();
        components.set(name, schema);
        schema.put("title", raw.getSimpleName());
        Description description = raw.getAnnotation(Description.class);
        if (description != null) {
            schema.put("description", description.value());
        }
        if (raw.isEnum()) {
            ArrayNode values = schema.put("type", "string").putArray("enum");
            Arrays.stream(raw.getEnumConstants()).forEach(c -> values.add(mapper.convertValue(c, String.class)));
        } else if (File.class.isAssignableFrom(raw)) {
            file(schema, raw == Image.class);
        } else {
            object(schema, type);
        }
        return name;
    }

    /** fal's file shape; as input a bare URL string is accepted too. */
    private static void file(ObjectNode schema, boolean image) {
        schema.put("type", "object").put("description", image
                ? "An image: a URL clients can fetch, with its type, name, size and dimensions. As input, an http(s) "
                        + "or data URL string is accepted too."
                : "A file: a URL clients can fetch, with its type, name and size. As input, an http(s) or data URL "
                        + "string is accepted too.");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("url").put("title", "Url").put("type", "string").put("format", "uri");
        properties.putObject("content_type").put("title", "Content Type").put("type", "string");
        properties.putObject("file_name").put("title", "File Name").put("type", "string");
        properties.putObject("file_size").put("title", "File Size").put("type", "integer");
        if (image) {
            properties.putObject("width").put("title", "Width").put("type", "integer");
            properties.putObject("height").put("title", "Height").put("type", "integer");
        }
        schema.putArray("required").add("url");
    }

    private void object(ObjectNode schema, JavaType type) {
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        BeanDescription bean = mapper.getDeserializationConfig().introspect(type);
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (!property.couldDeserialize() && !property.couldSerialize()) {
                continue;
            }
            ObjectNode schemaOfProperty = property(property, type.getRawClass().isRecord());
            if (schemaOfProperty.remove("x-required") != null) {
                required.add(property.getName());
            }
            properties.set(property.getName(), schemaOfProperty);
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
    }

    private ObjectNode property(BeanPropertyDefinition property, boolean ofRecord) {
        JavaType type = property.getPrimaryType();
        ObjectNode schema = of(type);
        schema.put("title", title(property.getName()));
        Description description = annotation(property, Description.class);
        if (description != null) {
            schema.put("description", description.value());
            if (description.examples().length > 0) {
                ArrayNode examples = schema.putArray("examples");
                for (String example : description.examples()) {
                    examples.add(value(type, example));
                }
            }
        }
        Default fallback = annotation(property, Default.class);
        if (fallback != null) {
            schema.set("default", value(type, fallback.value()));
        }
        constrain(schema, property, type);
        boolean required = fallback == null && (ofRecord && type.isPrimitive()
                || annotation(property, NotNull.class) != null || annotation(property, NotBlank.class) != null
                || annotation(property, NotEmpty.class) != null);
        if (required) {
            schema.put("x-required", true);
        }
        return schema;
    }

    private void constrain(ObjectNode schema, BeanPropertyDefinition property, JavaType type) {
        Min min = annotation(property, Min.class);
        if (min != null) {
            schema.put("minimum", min.value());
        }
        Max max = annotation(property, Max.class);
        if (max != null) {
            schema.put("maximum", max.value());
        }
        DecimalMin decimalMin = annotation(property, DecimalMin.class);
        if (decimalMin != null) {
            schema.put(decimalMin.inclusive() ? "minimum" : "exclusiveMinimum", new BigDecimal(decimalMin.value()));
        }
        DecimalMax decimalMax = annotation(property, DecimalMax.class);
        if (decimalMax != null) {
            schema.put(decimalMax.inclusive() ? "maximum" : "exclusiveMaximum", new BigDecimal(decimalMax.value()));
        }
        if (annotation(property, Positive.class) != null) {
            schema.put("exclusiveMinimum", 0);
        }
        if (annotation(property, PositiveOrZero.class) != null) {
            schema.put("minimum", 0);
        }
        if (annotation(property, Negative.class) != null) {
            schema.put("exclusiveMaximum", 0);
        }
        if (annotation(property, NegativeOrZero.class) != null) {
            schema.put("maximum", 0);
        }
        boolean text = "string".equals(schema.path("type").asText()) && !type.isEnumType();
        boolean array = "array".equals(schema.path("type").asText());
        String[] bounds = text ? new String[] {"minLength", "maxLength"}
                : array ? new String[] {"minItems", "maxItems"} : new String[] {"minProperties", "maxProperties"};
        Size size = annotation(property, Size.class);
        if (size != null) {
            if (size.min() > 0) {
                schema.put(bounds[0], size.min());
            }
            if (size.max() < Integer.MAX_VALUE) {
                schema.put(bounds[1], size.max());
            }
        }
        if (annotation(property, NotEmpty.class) != null || annotation(property, NotBlank.class) != null) {
            schema.put(bounds[0], Math.max(1, schema.path(bounds[0]).asInt(1)));
        }
        if (annotation(property, NotBlank.class) != null) {
            schema.put("pattern", "\\S");
        }
        Pattern pattern = annotation(property, Pattern.class);
        if (pattern != null) {
            schema.put("pattern", pattern.regexp());
        }
        if (annotation(property, Email.class) != null) {
            schema.put("format", "email");
        }
    }

    private JsonNode value(JavaType type, String text) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class || raw == CharSequence.class || raw == char.class || raw == Character.class
                || raw.isEnum()) {
            return TextNode.valueOf(text);
        }
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            return TextNode.valueOf(text);
        }
    }

    private static <A extends Annotation> A annotation(BeanPropertyDefinition property, Class<A> type) {
        for (AnnotatedMember member : new AnnotatedMember[] {property.getConstructorParameter(), property.getField(),
                property.getGetter(), property.getSetter()}) {
            if (member != null && member.hasAnnotation(type)) {
                return member.getAnnotation(type);
            }
        }
        return null;
    }

    private static String title(String jsonName) {
        StringBuilder title = new StringBuilder();
        for (String word : jsonName.split("_")) {
            if (!word.isEmpty()) {
                title.append(title.length() == 0 ? "" : " ").append(word.substring(0, 1).toUpperCase(Locale.ROOT))
                        .append(word.substring(1));
            }
        }
        return title.toString();
    }
}
