package io.fal4j.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value an input field takes when the request leaves it out; it also appears as the field's
 * {@code default} in the OpenAPI schema, and the field is no longer required.
 *
 * <pre>{@code
 * public record Input(
 *         @NotBlank String prompt,
 *         @Default("4") @Min(1) @Max(50) int numInferenceSteps,
 *         @Default("square_hd") String imageSize) {}
 * }</pre>
 *
 * <p>The value is written as it appears in JSON: a plain string for string and enum fields, JSON
 * text ({@code "7.5"}, {@code "true"}, {@code "[1, 2]"}) for the others. A value that does not fit
 * the field fails the build with a message naming the field.
 *
 * <p>It applies to record components, the usual shape of an input. Without {@code @Default}, a
 * field of a primitive type is required, and so is one annotated
 * {@code @NotNull}, {@code @NotBlank} or {@code @NotEmpty}; other fields are {@code null} when
 * left out.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Default {

    /** The default value, as JSON text (or a plain string for string and enum fields). */
    String value();
}
