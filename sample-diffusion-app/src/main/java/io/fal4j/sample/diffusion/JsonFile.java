package io.fal4j.sample.diffusion;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model directory's JSON files, read with Jackson's streaming parser. Setup reads them while the
 * JVM is still booting, where the first use of data binding (introspecting the target types) costs
 * several times what parsing does; and a member that is missing or of the wrong type gets an error
 * that names the file and the member.
 */
final class JsonFile {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonFile() {
    }

    /** A JSON object: its members by name, and where it is in its file, for errors. */
    static final class Members {
        private final String file;
        /** The names of the objects this one is in, each followed by a dot; empty at the top. */
        private final String prefix;
        private final Map<String, Object> values;

        private Members(String file, String prefix, Map<String, Object> values) {
            this.file = file;
            this.prefix = prefix;
            this.values = values;
        }

        /** A member that is an object. */
        Members object(String name) throws IOException {
            if (!(require(name) instanceof Map<?, ?> map)) {
                throw wrongType(name, "an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> members = (Map<String, Object>) map;
            return new Members(file, prefix + name + ".", members);
        }

        String string(String name) throws IOException {
            return optionalString(name).orElseThrow(() -> missing(name));
        }

        /** A member that is a string, or nothing when the member is absent or null. */
        Optional<String> optionalString(String name) throws IOException {
            Object value = values.get(name);
            if (value != null && !(value instanceof String)) {
                throw wrongType(name, "a string");
            }
            return Optional.ofNullable((String) value);
        }

        int integer(String name) throws IOException {
            if (!(require(name) instanceof Long value) || value != value.intValue()) {
                throw wrongType(name, "an integer");
            }
            return value.intValue();
        }

        double number(String name) throws IOException {
            if (!(require(name) instanceof Number value)) {
                throw wrongType(name, "a number");
            }
            return value.doubleValue();
        }

        boolean bool(String name) throws IOException {
            if (!(require(name) instanceof Boolean value)) {
                throw wrongType(name, "true or false");
            }
            return value;
        }

        private Object require(String name) throws IOException {
            Object value = values.get(name);
            if (value == null) {
                throw missing(name);
            }
            return value;
        }

        private IOException missing(String name) {
            return new IOException(file + ": \"" + prefix + name + "\" is missing");
        }

        private IOException wrongType(String name, String type) {
            return new IOException(file + ": \"" + prefix + name + "\" must be " + type);
        }
    }

    /** A file whose content is a JSON object. */
    static Members object(Path file) throws IOException {
        return new Members(file.toString(), "", parse(file, JsonFile::members));
    }

    /** A file whose content is one JSON object of integers, such as a tokenizer's token-to-id map. */
    static Map<String, Integer> integers(Path file) throws IOException {
        return parse(file, parser -> {
            Map<String, Integer> values = new HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT
                        || parser.getNumberType() != JsonParser.NumberType.INT) {
                    throw new IOException(file + ": the value of \"" + name + "\" must be an integer");
                }
                values.put(name, parser.getIntValue());
            }
            return values;
        });
    }

    /** Reads the members of an object, from the parser on its start. */
    private interface ObjectReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** A file that holds one JSON object and nothing after it, read by {@code reader}. */
    private static <T> T parse(Path file, ObjectReader<T> reader) throws IOException {
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": expected a JSON object");
            }
            T value = reader.read(parser);
            if (parser.nextToken() != null) {
                throw new IOException(file + ": unexpected content after the JSON object");
            }
            return value;
        } catch (JsonParseException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The members of the object whose start the parser is on. */
    private static Map<String, Object> members(JsonParser parser) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            values.put(name, value(parser));
        }
        return values;
    }

    /** The value the parser is on: maps, lists, strings, longs, doubles, booleans or null. */
    private static Object value(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> members(parser);
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(parser));
                }
                yield items;
            }
            case VALUE_STRING -> parser.getText();
            // (Object): without it, the conditional would make every integer a double
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (Object) parser.getDoubleValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + parser.currentToken());
        };
    }
}
