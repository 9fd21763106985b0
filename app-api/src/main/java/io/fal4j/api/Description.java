package io.fal4j.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents an input or output field (or the type or endpoint itself) in the app's OpenAPI
 * schema, as pydantic's {@code Field(description=..., examples=[...])} does.
 *
 * <pre>{@code
 * public record Input(
 *         @NotBlank @Description(value = "The prompt to generate an image from.",
 *                                examples = "a watercolor fox in the snow") String prompt) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER,
        ElementType.TYPE})
public @interface Description {

    /** The description, one or a few sentences. */
    String value();

    /**
     * Example values, written as they appear in JSON: a plain string for a string field, JSON
     * text ({@code "4"}, {@code "[1, 2]"}) for other types.
     */
    String[] examples() default {};
}
