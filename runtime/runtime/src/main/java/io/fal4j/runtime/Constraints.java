package io.fal4j.runtime;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Describes a Bean Validation violation the way pydantic describes the same rule: its error type,
 * message and parameters ({@code @Min(1)} fails as {@code greater_than_equal} with
 * {@code {"ge": 1}}). Rules without a pydantic twin keep Bean Validation's message.
 */
final class Constraints {

    /** How one constraint annotation is described. */
    private interface Rule {
        FieldError describe(List<Object> loc, Annotation constraint, Object value);
    }

    private static final Map<Class<? extends Annotation>, Rule> RULES = Map.ofEntries(
            Map.entry(NotNull.class, (loc, c, v) -> missing(loc)),
            Map.entry(NotBlank.class, (loc, c, v) -> v == null ? missing(loc)
                    : new FieldError(loc, "String should have at least 1 character that is not whitespace",
                            "string_too_short", Map.of("min_length", 1))),
            Map.entry(NotEmpty.class, (loc, c, v) -> v == null ? missing(loc) : tooShort(loc, v, 1)),
            Map.entry(Min.class, (loc, c, v) -> ge(loc, BigDecimal.valueOf(((Min) c).value()))),
            Map.entry(Max.class, (loc, c, v) -> le(loc, BigDecimal.valueOf(((Max) c).value()))),
            Map.entry(DecimalMin.class, (loc, c, v) -> ((DecimalMin) c).inclusive()
                    ? ge(loc, new BigDecimal(((DecimalMin) c).value()))
                    : gt(loc, new BigDecimal(((DecimalMin) c).value()))),
            Map.entry(DecimalMax.class, (loc, c, v) -> ((DecimalMax) c).inclusive()
                    ? le(loc, new BigDecimal(((DecimalMax) c).value()))
                    : lt(loc, new BigDecimal(((DecimalMax) c).value()))),
            Map.entry(Positive.class, (loc, c, v) -> gt(loc, BigDecimal.ZERO)),
            Map.entry(PositiveOrZero.class, (loc, c, v) -> ge(loc, BigDecimal.ZERO)),
            Map.entry(Negative.class, (loc, c, v) -> lt(loc, BigDecimal.ZERO)),
            Map.entry(NegativeOrZero.class, (loc, c, v) -> le(loc, BigDecimal.ZERO)),
            Map.entry(Size.class, (loc, c, v) -> size(loc, (Size) c, v)),
            Map.entry(Pattern.class, (loc, c, v) -> new FieldError(loc,
                    "String should match pattern '" + ((Pattern) c).regexp() + "'", "string_pattern_mismatch",
                    Map.of("pattern", ((Pattern) c).regexp()))));

    private Constraints() {
    }

    /** The error a violation stands for, at the given location. */
    static FieldError describe(List<Object> loc, ConstraintViolation<?> violation) {
        Annotation constraint = violation.getConstraintDescriptor().getAnnotation();
        Rule rule = RULES.get(constraint.annotationType());
        if (rule == null) {
            return new FieldError(loc, "Value error, " + violation.getMessage(), "value_error");
        }
        return rule.describe(loc, constraint, violation.getInvalidValue());
    }

    private static FieldError missing(List<Object> loc) {
        return new FieldError(loc, "Field required", "missing");
    }

    private static FieldError ge(List<Object> loc, BigDecimal bound) {
        return bound(loc, "greater_than_equal", "greater than or equal to", "ge", bound);
    }

    private static FieldError gt(List<Object> loc, BigDecimal bound) {
        return bound(loc, "greater_than", "greater than", "gt", bound);
    }

    private static FieldError le(List<Object> loc, BigDecimal bound) {
        return bound(loc, "less_than_equal", "less than or equal to", "le", bound);
    }

    private static FieldError lt(List<Object> loc, BigDecimal bound) {
        return bound(loc, "less_than", "less than", "lt", bound);
    }

    private static FieldError bound(List<Object> loc, String type, String relation, String key, BigDecimal bound) {
        return new FieldError(loc, "Input should be " + relation + " " + text(bound), type,
                Map.of(key, number(bound)));
    }

    private static FieldError size(List<Object> loc, Size size, Object value) {
        int length = length(value);
        if (length < size.min()) {
            return tooShort(loc, value, size.min());
        }
        if (value instanceof CharSequence) {
            return new FieldError(loc, "String should have at most " + plural(size.max(), "character"),
                    "string_too_long", Map.of("max_length", size.max()));
        }
        return new FieldError(loc, "Input should have at most " + plural(size.max(), "item")
                + " after validation, not " + length, "too_long", Map.of("max_length", size.max(),
                        "actual_length", length));
    }

    private static FieldError tooShort(List<Object> loc, Object value, int min) {
        if (value instanceof CharSequence) {
            return new FieldError(loc, "String should have at least " + plural(min, "character"), "string_too_short",
                    Map.of("min_length", min));
        }
        int length = length(value);
        return new FieldError(loc, "Input should have at least " + plural(min, "item") + " after validation, not "
                + length, "too_short", Map.of("min_length", min, "actual_length", length));
    }

    private static int length(Object value) {
        if (value instanceof CharSequence text) {
            return text.length();
        }
        if (value instanceof Collection<?> collection) {
            return collection.size();
        }
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        return value != null && value.getClass().isArray() ? java.lang.reflect.Array.getLength(value) : 0;
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String text(BigDecimal bound) {
        return bound.stripTrailingZeros().toPlainString();
    }

    private static Number number(BigDecimal bound) {
        BigDecimal stripped = bound.stripTrailingZeros();
        return stripped.scale() <= 0 ? (Number) stripped.toBigInteger() : stripped;
    }
}
