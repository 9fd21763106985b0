package io.fal4j.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves a method of the {@link FalApp} class as {@code POST <path>} with JSON in and out.
 *
 * <p>The method is public and not static, takes one input object (a record or a bean that Jackson
 * binds from a JSON object; Bean Validation constraints on it are checked and answered with
 * {@code 422}) and optionally a {@link RequestContext}, and returns the output object.
 *
 * <pre>{@code
 * @Endpoint("/")
 * public Output generate(Input input, RequestContext ctx) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Endpoint {

    /**
     * The path the endpoint is served at: starts with {@code /}, unique within the app, and not
     * one of the runner's own paths ({@code /health}, {@code /metrics}, {@code /openapi.json},
     * {@code /files/...}, {@code /q/...}).
     */
    String value();
}
