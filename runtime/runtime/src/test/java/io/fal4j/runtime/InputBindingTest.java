package io.fal4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fal4j.api.Default;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/** Binding and validation of bodies, without a server: the 422 details name JSON fields and list indices. */
class InputBindingTest {

    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    public record Item(@NotBlank String imageUrl, @Positive int weight) {
    }

    public record Batch(@Size(min = 1, max = 3) List<@Valid Item> items, Map<String, @Valid Item> byName,
            @JsonProperty("n") @Default("2") int numImages, @Default("[1, 2]") List<Integer> seeds) {
    }

    /** Defaults nested twenty records deep: each record's default is read while the outer one's is. */
    public record Level20(@Default("20") int depth) {
    }

    public record Level19(@Default("{}") Level20 next, @Default("19") int depth) {
    }

    public record Level18(@Default("{}") Level19 next, @Default("18") int depth) {
    }

    public record Level17(@Default("{}") Level18 next, @Default("17") int depth) {
    }

    public record Level16(@Default("{}") Level17 next, @Default("16") int depth) {
    }

    public record Level15(@Default("{}") Level16 next, @Default("15") int depth) {
    }

    public record Level14(@Default("{}") Level15 next, @Default("14") int depth) {
    }

    public record Level13(@Default("{}") Level14 next, @Default("13") int depth) {
    }

    public record Level12(@Default("{}") Level13 next, @Default("12") int depth) {
    }

    public record Level11(@Default("{}") Level12 next, @Default("11") int depth) {
    }

    public record Level10(@Default("{}") Level11 next, @Default("10") int depth) {
    }

    public record Level9(@Default("{}") Level10 next, @Default("9") int depth) {
    }

    public record Level8(@Default("{}") Level9 next, @Default("8") int depth) {
    }

    public record Level7(@Default("{}") Level8 next, @Default("7") int depth) {
    }

    public record Level6(@Default("{}") Level7 next, @Default("6") int depth) {
    }

    public record Level5(@Default("{}") Level6 next, @Default("5") int depth) {
    }

    public record Level4(@Default("{}") Level5 next, @Default("4") int depth) {
    }

    public record Level3(@Default("{}") Level4 next, @Default("3") int depth) {
    }

    public record Level2(@Default("{}") Level3 next, @Default("2") int depth) {
    }

    public record Level1(@Default("{}") Level2 next, @Default("1") int depth) {
    }

    private final InputBinding binding = new InputBinding(RunnerJson.of(new ObjectMapper(), 64, 1 << 20, null).mapper(),
            Batch.class, VALIDATOR);

    private Object bind(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return binding.bind(bytes, 0, bytes.length);
    }

    @SuppressWarnings("unchecked")
    private List<FieldError> errors(String json) {
        RunnerException e = assertThrows(RunnerException.class, () -> bind(json));
        assertEquals(422, e.status());
        return (List<FieldError>) e.detail();
    }

    @Test
    void readsDefaultsOfRecordsNestedInDefaults() {
        InputBinding nested = new InputBinding(RunnerJson.of(new ObjectMapper(), 64, 1 << 20, null).mapper(),
                Level1.class, VALIDATOR);
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Level1 top = (Level1) nested.bind(empty, 0, empty.length);
        Object level = top;
        int depth = 1;
        while (!(level instanceof Level20)) {
            level = nextOf(level);
            depth++;
        }
        assertEquals(20, depth);
        assertEquals(20, ((Level20) level).depth());
    }

    private static Object nextOf(Object level) {
        try {
            return level.getClass().getMethod("next").invoke(level);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void namesListElementsByIndexAndFieldsByTheirJsonName() {
        List<FieldError> errors = errors("{\"items\":[{\"image_url\":\"a\",\"weight\":1},{\"image_url\":\" \","
                + "\"weight\":0}]}");
        assertEquals(List.of(List.of("body", "items", 1, "image_url"), List.of("body", "items", 1, "weight")),
                errors.stream().map(FieldError::loc).toList());
        assertEquals(List.of("string_too_short", "greater_than"), errors.stream().map(FieldError::type).toList());
        assertEquals(Map.of("gt", java.math.BigInteger.ZERO), errors.get(1).ctx());
    }

    @Test
    void namesMapEntriesByKey() {
        List<FieldError> errors = errors("{\"items\":[{\"image_url\":\"a\",\"weight\":1}],\"by_name\":{\"cat\":"
                + "{\"image_url\":\"b\",\"weight\":-1}}}");
        assertEquals(List.of("body", "by_name", "cat", "weight"), errors.get(0).loc());
    }

    @Test
    void reportsCollectionSizes() {
        FieldError error = errors("{\"items\":[]}").get(0);
        assertEquals(List.of("body", "items"), error.loc());
        assertEquals("too_short", error.type());
        assertEquals("Input should have at least 1 item after validation, not 0", error.msg());
    }

    @Test
    void typeErrorsInsideListsNameTheIndex() {
        FieldError error = errors("{\"items\":[{\"image_url\":\"a\",\"weight\":\"heavy\"}]}").get(0);
        assertEquals(List.of("body", "items", 0, "weight"), error.loc());
        assertEquals("int_parsing", error.type());
    }

    @Test
    void missingNestedFieldsNameTheirPath() {
        FieldError error = errors("{\"items\":[{\"image_url\":\"a\"}]}").get(0);
        assertEquals(List.of("body", "items", 0, "weight"), error.loc());
        assertEquals("missing", error.type());
    }

    @Test
    void defaultsHonourRenamedFieldsAndAreFreshEachTime() {
        Batch first = (Batch) bind("{\"items\":[{\"image_url\":\"a\",\"weight\":1}]}");
        assertEquals(2, first.numImages());
        assertEquals(List.of(1, 2), first.seeds());
        first.seeds().clear();
        Batch second = (Batch) bind("{\"items\":[{\"image_url\":\"a\",\"weight\":1}],\"n\":4}");
        assertEquals(4, second.numImages());
        assertEquals(List.of(1, 2), second.seeds());
    }
}
