package io.fal4j.runtime;

/**
 * One {@code @Endpoint} method as the build found it.
 *
 * @param path the HTTP path
 * @param method the Java method's name
 * @param inputClass the input parameter's class
 * @param takesContext whether the method also takes a {@code RequestContext}
 * @param invokerClass the generated {@link EndpointInvoker} that calls it
 * @param description the method's description for OpenAPI, empty when none
 */
public record EndpointSpec(String path, String method, String inputClass, boolean takesContext, String invokerClass,
        String description) {
}
