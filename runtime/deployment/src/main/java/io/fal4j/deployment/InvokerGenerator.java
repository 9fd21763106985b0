package io.fal4j.deployment;

import io.fal4j.api.RequestContext;
import io.fal4j.runtime.EndpointInvoker;
import io.quarkus.gizmo.ClassCreator;
import io.quarkus.gizmo.ClassOutput;
import io.quarkus.gizmo.MethodCreator;
import io.quarkus.gizmo.MethodDescriptor;
import io.quarkus.gizmo.ResultHandle;

/**
 * Generates one {@link EndpointInvoker} per endpoint: a class that casts its arguments and calls the
 * endpoint method directly, so requests are served without reflection.
 */
final class InvokerGenerator {

    private InvokerGenerator() {
    }

    static void generate(ScannedApp app, ClassOutput output) {
        for (ScannedApp.Endpoint endpoint : app.endpoints()) {
            try (ClassCreator invoker = ClassCreator.builder().classOutput(output)
                    .className(endpoint.invokerClass()).interfaces(EndpointInvoker.class).build()) {
                MethodCreator invoke = invoker.getMethodCreator("invoke", Object.class, Object.class, Object.class,
                        RequestContext.class);
                invoke.addException(Exception.class);
                ResultHandle target = invoke.checkCast(invoke.getMethodParam(0), app.className());
                ResultHandle input = invoke.checkCast(invoke.getMethodParam(1), endpoint.inputClass());
                MethodDescriptor method = endpoint.target();
                ResultHandle result = endpoint.takesContext()
                        ? invoke.invokeVirtualMethod(method, target, input, invoke.getMethodParam(2))
                        : invoke.invokeVirtualMethod(method, target, input);
                invoke.returnValue(result);
            }
        }
    }
}
