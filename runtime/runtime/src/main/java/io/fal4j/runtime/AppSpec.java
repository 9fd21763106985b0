package io.fal4j.runtime;

import java.util.List;

/**
 * What the build learned about the app, recorded for the runtime: the class, its knobs, its endpoints.
 *
 * @param appClass the {@code @FalApp} class
 * @param name the app's name
 * @param maxMultiplexing concurrent executions per runner
 * @param requestTimeoutSeconds the app's request timeout
 * @param startupTimeoutSeconds the app's setup timeout
 * @param description the app's description for OpenAPI, empty when none
 * @param endpoints the endpoints, in declaration order
 */
public record AppSpec(String appClass, String name, int maxMultiplexing, int requestTimeoutSeconds,
        int startupTimeoutSeconds, String description, List<EndpointSpec> endpoints) {

    public AppSpec {
        endpoints = List.copyOf(endpoints);
    }
}
