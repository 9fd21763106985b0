package io.fal4j.runtime.files;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fal4j.api.File;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether values of a declared output type can hold a {@link File}, decided once per endpoint so
 * that outputs without files are written in one pass, with no search for files to store.
 */
public final class FileTypes {

    private FileTypes() {
    }

    /** True when a value of the type may contain a file (directly, in a field, list or map, or behind Object). */
    public static boolean mayHoldFiles(ObjectMapper mapper, JavaType type) {
        return mayHold(mapper, type, new HashSet<>());
    }

    private static boolean mayHold(ObjectMapper mapper, JavaType type, Set<Class<?>> seen) {
        Class<?> raw = type.getRawClass();
        if (File.class.isAssignableFrom(raw) || raw == Object.class) {
            return true;
        }
        if (type.isReferenceType()) {
            return mayHold(mapper, type.getReferencedType(), seen);
        }
        if (type.isContainerType()) {
            return mayHold(mapper, type.getContentType(), seen);
        }
        if (raw.isPrimitive() || raw.isEnum() || raw.getName().startsWith("java.")
                || JsonNode.class.isAssignableFrom(raw) || !seen.add(raw)) {
            return false;
        }
        if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            return true;
        }
        for (BeanPropertyDefinition property : mapper.getSerializationConfig().introspect(type).findProperties()) {
            if (property.couldSerialize() && mayHold(mapper, property.getPrimaryType(), seen)) {
                return true;
            }
        }
        return false;
    }
}
