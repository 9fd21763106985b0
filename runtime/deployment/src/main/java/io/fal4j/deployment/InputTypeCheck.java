package io.fal4j.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fal4j.api.File;
import io.fal4j.runtime.RunnerJson;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks, at build time, that Jackson can bind an endpoint's input type from a JSON object: every
 * type reachable from it is a scalar, a file or image, an enum, a list, set, map or array of bindable types, or a
 * record or bean it can construct; and every {@code @Default} value fits its component.
 */
final class InputTypeCheck {

    private static final Set<Class<?>> SCALARS = Set.of(String.class, CharSequence.class, Character.class,
            Boolean.class, Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class,
            BigInteger.class, BigDecimal.class, UUID.class, URI.class, URL.class, Object.class,
            java.time.Duration.class, byte[].class);

    private final RunnerJson json;
    private final Set<Class<?>> seen = new HashSet<>();
    private final List<String> problems;

    private InputTypeCheck(RunnerJson json, List<String> problems) {
        this.json = json;
        this.problems = problems;
    }

    /** Adds a problem, naming {@code where}, for each way {@code input} cannot be bound. */
    static void check(Class<?> input, String where, RunnerJson json, List<String> problems) {
        InputTypeCheck check = new InputTypeCheck(json, problems);
        if (!check.isObject(input)) {
            problems.add(where + ": the input " + input.getName() + " cannot be bound from a JSON object; "
                    + "use a record with one component per field");
            return;
        }
        check.type(input, where + ": input " + input.getSimpleName());
    }

    private boolean isObject(Class<?> type) {
        return !type.isPrimitive() && !type.isArray() && !type.isEnum() && !SCALARS.contains(type)
                && !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)
                && !Temporal.class.isAssignableFrom(type) && !JsonNode.class.isAssignableFrom(type);
    }

    private void type(Type type, String path) {
        if (type instanceof Class<?> raw) {
            raw(raw, path);
        } else if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (Map.class.isAssignableFrom(raw)) {
                keyOfMap(args[0], path);
                type(args[1], path + "[value]");
            } else if (Collection.class.isAssignableFrom(raw) || raw == Optional.class) {
                type(args[0], path + "[]");
            } else {
                raw(raw, path);
            }
        } else if (type instanceof GenericArrayType array) {
            type(array.getGenericComponentType(), path + "[]");
        } else {
            problems.add(path + ": the type " + type.getTypeName() + " is not concrete; name a class, not a type "
                    + "variable or wildcard");
        }
    }

    private void keyOfMap(Type key, String path) {
        if (!(key instanceof Class<?> k) || !(k == String.class || k.isEnum() || Number.class.isAssignableFrom(k)
                || k == UUID.class)) {
            problems.add(path + ": map keys must be strings, numbers or enums, not " + key.getTypeName());
        }
    }

    private void raw(Class<?> raw, String path) {
        if (raw.isPrimitive() || raw.isEnum() || SCALARS.contains(raw) || Temporal.class.isAssignableFrom(raw)
                || File.class.isAssignableFrom(raw)
                || JsonNode.class.isAssignableFrom(raw) || raw == Optional.class
                || Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)
                || raw.isAnnotationPresent(JsonDeserialize.class) || raw.isAnnotationPresent(JsonTypeInfo.class)) {
            return;
        }
        if (raw.isArray()) {
            type(raw.getComponentType(), path + "[]");
            return;
        }
        if (!seen.add(raw)) {
            return;
        }
        if (raw.getName().startsWith("java.") || raw.getName().startsWith("javax.")) {
            problems.add(path + ": " + raw.getName() + " cannot be bound from JSON");
        } else if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            problems.add(path + ": " + raw.getName() + " is abstract, so Jackson cannot create it; use a record "
                    + "or a concrete class");
        } else if (raw.isMemberClass() && !Modifier.isStatic(raw.getModifiers())) {
            problems.add(path + ": " + raw.getName() + " is an inner class; make it static or a record");
        } else if (raw.isRecord()) {
            record(raw, path);
        } else if (hasNoArgConstructor(raw) || hasCreator(raw)) {
            for (Field field : raw.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())) {
                    type(field.getGenericType(), path + "." + field.getName());
                }
            }
        } else {
            problems.add(path + ": " + raw.getName() + " has neither a no-argument constructor nor a @JsonCreator; "
                    + "use a record");
        }
    }

    private void record(Class<?> record, String path) {
        for (RecordComponent component : record.getRecordComponents()) {
            type(component.getGenericType(), path + "." + component.getName());
        }
        try {
            json.checkDefaults(record);
        } catch (IllegalArgumentException e) {
            problems.add(path + ": " + e.getMessage());
        }
    }

    private static boolean hasNoArgConstructor(Class<?> type) {
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (constructor.getParameterCount() == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCreator(Class<?> type) {
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (constructor.isAnnotationPresent(JsonCreator.class)) {
                return true;
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) && method.isAnnotationPresent(JsonCreator.class)) {
                return true;
            }
        }
        return false;
    }
}
