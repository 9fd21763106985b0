package io.fal4j.runtime;

import io.fal4j.api.RequestContext;

/** Calls one endpoint method without reflection; the build generates one implementation per endpoint. */
public interface EndpointInvoker {

    /**
     * Calls the method.
     *
     * @param app the app instance
     * @param input the bound input
     * @param context the request's context, passed when the method declares it
     * @return the method's output
     * @throws Exception whatever the method throws
     */
    Object invoke(Object app, Object input, RequestContext context) throws Exception;
}
