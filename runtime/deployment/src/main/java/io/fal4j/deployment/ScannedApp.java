package io.fal4j.deployment;

import io.fal4j.runtime.AppSpec;
import io.fal4j.runtime.EndpointSpec;
import io.quarkus.gizmo.MethodDescriptor;
import java.util.List;

/**
 * The {@code @FalApp} class and its endpoints as the build found and checked them.
 *
 * @param className the app class
 * @param name the app's name
 * @param knobs the {@code @FalApp} values, by their annotation names, defaults filled in
 * @param description the class's {@code @Description}, or empty
 * @param endpoints the endpoints
 */
record ScannedApp(String className, String name, Knobs knobs, String description, List<Endpoint> endpoints) {

    /** The scaling and lifecycle knobs. */
    record Knobs(List<String> machineType, int numGpus, int keepAlive, int minConcurrency, int maxConcurrency,
            int concurrencyBuffer, int maxMultiplexing, int requestTimeout, int startupTimeout, String auth) {
    }

    /**
     * One endpoint method.
     *
     * @param path the HTTP path
     * @param method the method name
     * @param inputClass the input parameter's class
     * @param outputType the return type, generics included
     * @param takesContext whether a {@code RequestContext} is the second parameter
     * @param description the method's {@code @Description}, or empty
     * @param invokerClass the class generated to call it
     * @param target the method, as the generated invoker calls it
     */
    record Endpoint(String path, String method, String inputClass, String outputType, boolean takesContext,
            String description, String invokerClass, MethodDescriptor target) {
    }

    /** The spec the runtime is given. */
    AppSpec spec() {
        return new AppSpec(className, name, knobs.maxMultiplexing(), knobs.requestTimeout(), knobs.startupTimeout(),
                description, endpoints.stream().map(e -> new EndpointSpec(e.path(), e.method(), e.inputClass(),
                        e.takesContext(), e.invokerClass(), e.description())).toList());
    }
}
