package io.fal4j.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.ValueInstantiators;
import com.fasterxml.jackson.databind.deser.impl.PropertyValueBuffer;
import com.fasterxml.jackson.databind.deser.std.StdValueInstantiator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fal4j.api.Default;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives records pydantic's field semantics: a component left out of the JSON takes its
 * {@link Default} value; without one, a primitive component or one marked {@code @NotNull},
 * {@code @NotBlank} or {@code @NotEmpty} is required (instead of silently becoming 0 or null). All
 * missing required fields of an object are reported together.
 */
final class RecordDefaults extends SimpleModule {

    private static final long serialVersionUID = 1L;

    private final transient Map<Class<?>, Components> byRecord = new ConcurrentHashMap<>();
    private transient ObjectMapper owner;

    RecordDefaults() {
        super("fal4j-record-defaults");
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        owner = context.getOwner();
        context.addValueInstantiators(new ValueInstantiators.Base() {
            @Override
            public ValueInstantiator findValueInstantiator(DeserializationConfig config, BeanDescription bean,
                    ValueInstantiator standard) {
                Class<?> type = bean.getBeanClass();
                if (!type.isRecord() || !(standard instanceof StdValueInstantiator std)
                        || std.getFromObjectArguments(config) == null
                        || std.getFromObjectArguments(config).length != type.getRecordComponents().length) {
                    return standard;
                }
                Components components = components(type);
                return components.plain() ? standard : new Instantiator(std, components);
            }
        });
    }

    /**
     * The defaults and required components of a record, parsed once.
     *
     * @throws IllegalArgumentException when a {@code @Default} value does not fit its component
     */
    Components components(Class<?> record) {
        Components known = byRecord.get(record);
        if (known != null) {
            return known;
        }
        // Not computeIfAbsent: parsing a default of a nested record type asks for that record's
        // components in turn, and a map must not be updated from inside its own update.
        Components parsed = parse(record);
        known = byRecord.putIfAbsent(record, parsed);
        return known != null ? known : parsed;
    }

    private Components parse(Class<?> record) {
        RecordComponent[] declared = record.getRecordComponents();
        Component[] parsed = new Component[declared.length];
        boolean plain = true;
        for (int i = 0; i < declared.length; i++) {
            parsed[i] = parse(record, declared[i]);
            plain &= parsed[i].tree == null && !parsed[i].required;
        }
        return new Components(parsed, plain);
    }

    private Component parse(Class<?> record, RecordComponent component) {
        Class<?> raw = component.getType();
        Default declared = component.getAnnotation(Default.class);
        if (declared == null) {
            boolean required = raw.isPrimitive() || marked(component, NotNull.class) || marked(component, NotBlank.class)
                    || marked(component, NotEmpty.class);
            return new Component(component.getName(), required, null, null, null);
        }
        JavaType type = owner.constructType(component.getGenericType());
        try {
            JsonNode tree = textual(raw) ? TextNode.valueOf(declared.value()) : jsonOrText(declared.value());
            Object value = owner.treeToValue(tree, type);
            boolean shareable = value == null || raw.isPrimitive() || raw.isEnum() || value instanceof String
                    || value instanceof Number || value instanceof Boolean;
            return new Component(component.getName(), false, tree, type, shareable ? value : null);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(record.getName() + "." + component.getName() + ": @Default(\""
                    + declared.value() + "\") is not a valid " + component.getGenericType().getTypeName() + ": "
                    + reason, e);
        }
    }

    /** Bean Validation annotations do not target record components; javac puts them on the accessor. */
    private static boolean marked(RecordComponent component, Class<? extends Annotation> annotation) {
        return component.getAccessor().isAnnotationPresent(annotation);
    }

    /** JSON text, or a plain string for types built from one ({@code "square_hd"} for an image size). */
    private JsonNode jsonOrText(String value) {
        try {
            return owner.readTree(value);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(value);
        }
    }

    private static boolean textual(Class<?> raw) {
        return raw == String.class || raw == CharSequence.class || raw == char.class || raw == Character.class
                || raw.isEnum();
    }

    /** One record component: whether it is required, and its default when it has one. */
    private record Component(String name, boolean required, JsonNode tree, JavaType type, Object shared) {

        Object value(DeserializationContext context) throws IOException {
            return shared != null ? shared : context.readTreeAsValue(tree, type);
        }
    }

    /** The components of one record, in declaration order; {@code plain} when none needs handling. */
    record Components(Component[] all, boolean plain) {
    }

    /** Builds the record from what the JSON had, filling in defaults and collecting missing fields. */
    private static final class Instantiator extends StdValueInstantiator {

        private static final long serialVersionUID = 1L;

        private final transient Components components;

        Instantiator(StdValueInstantiator standard, Components components) {
            super(standard);
            this.components = components;
        }

        @Override
        public Object createFromObjectWith(DeserializationContext context, SettableBeanProperty[] properties,
                PropertyValueBuffer buffer) throws IOException {
            Object[] args = new Object[properties.length];
            List<String> missing = null;
            for (SettableBeanProperty property : properties) {
                int index = property.getCreatorIndex();
                Component component = components.all()[index];
                if (buffer.hasParameter(property)) {
                    args[index] = buffer.getParameter(property);
                } else if (component.tree() != null) {
                    args[index] = component.value(context);
                } else if (component.required()) {
                    if (missing == null) {
                        missing = new ArrayList<>();
                    }
                    missing.add(property.getName());
                } else {
                    args[index] = buffer.getParameter(property);
                }
            }
            if (missing != null) {
                throw new MissingFieldsException(context.getParser(), getValueClass(), missing);
            }
            return createFromObjectWith(context, args);
        }
    }
}
