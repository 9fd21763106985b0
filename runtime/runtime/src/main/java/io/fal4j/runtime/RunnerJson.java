package io.fal4j.runtime;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fal4j.runtime.files.Downloads;
import io.fal4j.runtime.files.FileJson;

/**
 * The JSON rules of the HTTP contract, applied to one {@link ObjectMapper}: snake_case names as fal
 * uses, fal's shape for files and images, pydantic-like strictness for scalars (no {@code 4.5} into an int, no {@code 7} into a
 * string), unknown fields ignored, {@link io.fal4j.api.Default} values and required primitives, and
 * hard limits on nesting and string length.
 */
public final class RunnerJson {

    private final ObjectMapper mapper;
    private final RecordDefaults defaults = new RecordDefaults();

    private RunnerJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A copy of {@code base} with the rules applied.
     *
     * @param base the application's mapper, whose modules and customizations are kept
     * @param maxDepth the deepest nesting of arrays and objects accepted
     * @param maxStringLength the longest string accepted, in characters
     * @param downloads downloads input files; null where they are bound but never read
     */
    public static RunnerJson of(ObjectMapper base, int maxDepth, long maxStringLength, Downloads downloads) {
        RunnerJson json = new RunnerJson(base.copy());
        json.configure(maxDepth, maxStringLength);
        json.mapper.registerModule(new FileJson(downloads));
        return json;
    }

    /** The configured mapper. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Parses the {@link io.fal4j.api.Default} values of a record's components.
     *
     * @throws IllegalArgumentException naming the component whose default does not fit its type
     */
    public void checkDefaults(Class<?> record) {
        defaults.components(record);
    }

    private void configure(int maxDepth, long maxStringLength) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxStringLength))
                .build());
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        mapper.configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, true);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, true);
        mapper.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
        mapper.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        for (LogicalType number : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(number).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.registerModule(defaults);
    }
}
